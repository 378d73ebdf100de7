// Yours: the handlers of order's operations. microgen created this file and only ever
// adds a stub method when the spec gains an operation; it never rewrites your code.
import { NotImplemented } from '@microgen/runtime';
import { OperationHandlers } from '../generated/operations.js';
import type * as Op from '../generated/operations.js';

export class Operations extends OperationHandlers {
  override async createOrder(request: Op.CreateOrderRequest): Promise<Op.CreateOrderReply> {
    throw new NotImplemented('createOrder');
  }

  override async getOrder(request: Op.GetOrderRequest): Promise<Op.GetOrderReply> {
    throw new NotImplemented('getOrder');
  }

  override async cancelOrder(request: Op.CancelOrderRequest): Promise<Op.CancelOrderReply> {
    throw new NotImplemented('cancelOrder');
  }
}
