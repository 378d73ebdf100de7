// Yours: the handlers of product's operations. microgen created this file and only ever
// adds a stub method when the spec gains an operation; it never rewrites your code.
import { NotImplemented } from '@microgen/runtime';
import { OperationHandlers } from '../generated/operations.js';
import type * as Op from '../generated/operations.js';

export class Operations extends OperationHandlers {
  override async getProduct(request: Op.GetProductRequest): Promise<Op.GetProductReply> {
    throw new NotImplemented('getProduct');
  }

  override async listProducts(request: Op.ListProductsRequest): Promise<Op.ListProductsReply> {
    throw new NotImplemented('listProducts');
  }
}
