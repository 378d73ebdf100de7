// Yours: the handlers of inventory's operations. microgen created this file and only ever
// adds a stub method when the spec gains an operation; it never rewrites your code.
import { NotImplemented } from '@microgen/runtime';
import { OperationHandlers } from '../generated/operations.js';
import type * as Op from '../generated/operations.js';

export class Operations extends OperationHandlers {
  override async reserve(request: Op.ReserveRequest): Promise<Op.ReserveReply> {
    throw new NotImplemented('reserve');
  }

  override async release(request: Op.ReleaseRequest): Promise<Op.ReleaseReply> {
    throw new NotImplemented('release');
  }
}
