// Yours: the handlers of the events order subscribes to. microgen created this file and
// only ever adds a stub method when the spec gains a subscription; it never rewrites your code.
import { NotImplemented } from '@microgen/runtime';
import { EventHandlers } from '../generated/events.js';
import type * as Ev from '../generated/events.js';

export class Events extends EventHandlers {
  override async onPaymentAny(message: Ev.OnPaymentAnyMessage): Promise<void> {
    throw new NotImplemented('onPaymentAny');
  }

  override async onInventoryFailed(message: Ev.OnInventoryFailedMessage): Promise<void> {
    throw new NotImplemented('onInventoryFailed');
  }
}
