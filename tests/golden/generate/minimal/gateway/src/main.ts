// Yours: the entry point of the gateway. microgen created it once and never changes it.
// `start()` checks tokens, counts requests and forwards each route to its service (or legacy
// system) as the spec says, and stops gracefully on SIGTERM.
import { gateway } from './generated/gateway.js';

await gateway.start();
