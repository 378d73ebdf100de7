// Yours: microgen created this entry point once and will not change it.
// startService connects what the service depends on, builds the service context (logger,
// database, clients), hands it to your handler classes through the factories below, serves
// HTTP and shuts down gracefully on SIGTERM/SIGINT. Pass your own dependencies here.
import { startService } from './generated/app.js';
import { Events } from './handlers/events.js';
import { Fallbacks } from './handlers/fallbacks.js';
import { Operations } from './handlers/operations.js';

await startService({
  operations: (ctx) => new Operations(ctx),
  events: () => new Events(),
  fallbacks: (ctx) => new Fallbacks(ctx),
});
