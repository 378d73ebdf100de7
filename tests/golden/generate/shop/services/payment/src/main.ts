// Yours: the entry point of payment. microgen created it once and never changes it.
// `start()` opens what the service depends on, builds your handler classes (src/handlers/)
// with the service context, serves HTTP and stops gracefully on SIGTERM. To hand a class
// dependencies of your own, pass its factory:
//   await service.start({ handlers: { operations: (ctx) => new Operations(ctx, myDependency) } });
import { service } from './generated/service.js';

await service.start();
