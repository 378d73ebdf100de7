// Yours: what order answers when a call to another service fails for good or finds its
// circuit breaker open. microgen created this file and only ever adds a stub method when the
// spec gains a fallback; it never rewrites your code. A stub rethrows, as if there were no
// fallback.
import { FallbackHandlers } from '../generated/fallbacks.js';
import type * as Fb from '../generated/fallbacks.js';

export class Fallbacks extends FallbackHandlers {
  override async userGetUser(
    request: Fb.UserGetUserCall,
    error: Fb.CallError,
  ): Promise<Fb.UserGetUserReply> {
    throw error;
  }
}
