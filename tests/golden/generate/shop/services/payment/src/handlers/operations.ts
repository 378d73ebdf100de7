// Yours: the handlers of payment's operations. microgen created this file and only ever
// adds a stub method when the spec gains an operation; it never rewrites your code.
import { NotImplemented } from '@microgen/runtime';
import { OperationHandlers } from '../generated/operations.js';
import type * as Op from '../generated/operations.js';

export class Operations extends OperationHandlers {
  override async charge(request: Op.ChargeRequest): Promise<Op.ChargeReply> {
    throw new NotImplemented('charge');
  }

  override async refund(request: Op.RefundRequest): Promise<Op.RefundReply> {
    throw new NotImplemented('refund');
  }
}
