// Yours: the handlers of greeter's operations. microgen created this file and only ever
// adds a stub method when the spec gains an operation; it never rewrites your code.
import { NotImplemented } from '@microgen/runtime';
import { OperationHandlers } from '../generated/operations.js';
import type * as Op from '../generated/operations.js';

export class Operations extends OperationHandlers {
  override async greet(request: Op.GreetRequest): Promise<Op.GreetReply> {
    throw new NotImplemented('greet');
  }
}
