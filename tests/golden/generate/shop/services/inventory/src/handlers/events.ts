// Yours: the handlers of the events inventory subscribes to; each reaches the service context as
// `this.ctx`. Return to acknowledge a message; throw to have it retried after a delay (then
// dead-lettered). microgen created this file and only ever adds a stub method when the spec gains
// a subscription; it never rewrites your code.
import { NotImplemented } from '@microgen/runtime';
import { EventHandlers } from '../generated/events.js';
import type * as Ev from '../generated/events.js';

export class Events extends EventHandlers {
  override async onOrderCompleted(message: Ev.OnOrderCompletedMessage): Promise<void> {
    throw new NotImplemented('onOrderCompleted');
  }
}
