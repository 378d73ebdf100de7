// Yours: the handlers of user's operations. microgen created this file and only ever
// adds a stub method when the spec gains an operation; it never rewrites your code.
import { NotImplemented } from '@microgen/runtime';
import { OperationHandlers } from '../generated/operations.js';
import type * as Op from '../generated/operations.js';

export class Operations extends OperationHandlers {
  override async createUser(request: Op.CreateUserRequest): Promise<Op.CreateUserReply> {
    throw new NotImplemented('createUser');
  }

  override async getUser(request: Op.GetUserRequest): Promise<Op.GetUserReply> {
    throw new NotImplemented('getUser');
  }
}
