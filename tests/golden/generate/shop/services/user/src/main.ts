// Yours: microgen created this entry point once and will not change it.
// Wire your own dependencies here and pass them to your handlers.
import { startService } from './generated/app.js';
import { Events } from './handlers/events.js';
import { Operations } from './handlers/operations.js';

await startService({ operations: new Operations(), events: new Events() });
