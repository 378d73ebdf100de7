/**
 * The helpers a generated saga's step table is made of: a step that calls one operation of a
 * typed client with the step's `Idempotency-Key`, and a compensation that calls one with the
 * result of the action it undoes. The user's code builds the request; these send it and turn the
 * reply into the step's result (`stepResult`), so a generated step is one row, not logic.
 */
import type { HttpReply } from '../http/caller.js';
import { stepResult, StepFailed, type StepRun } from './definition.js';

/** The statuses that are a success. */
type Success = 200 | 201 | 202 | 203 | 204 | 205 | 206 | 207 | 208 | 226;

/**
 * What a step that got `Reply` records as its result: the body of its 2xx variants (`null` for a
 * bodiless one, as the engine stores it). `{ status: 201; body: Order } | { status: 409; … }` → `Order`.
 */
export type StepResult<Reply> = Reply extends { readonly status: infer S }
  ? S extends Success
    ? Reply extends { readonly body: infer B }
      ? B
      : null
    : never
  : never;

/** A client's request as a step's user code builds it: without the key, which the step adds. */
export type StepRequest<Call> = Omit<Call, 'idempotencyKey'>;

/** Sends a request with the step's key: a typed client's method. */
export type KeyedSend<Call, Reply extends HttpReply> = (request: Call & { readonly idempotencyKey: string }) => Promise<Reply>;

/**
 * A step's action: awaits `build` (the user's request), sends it through `send` with
 * `idempotencyKey: run.idempotencyKey`, and ends with `stepResult(reply, what)`: a 2xx body is the
 * step's result, a declared 4xx fails it, anything else is retried. `what` names the call in
 * errors (`order.createOrder`).
 */
export function callStep<Input, Results, Call extends object, Reply extends HttpReply>(
  what: string,
  build: (run: StepRun<Input, Results>) => Promise<Call>,
  send: KeyedSend<Call, Reply>,
): (run: StepRun<Input, Results>) => Promise<StepResult<Reply>> {
  return async (run) => stepResult(await send({ ...(await build(run)), idempotencyKey: run.idempotencyKey }), what) as StepResult<Reply>;
}

/**
 * A step's compensation: like `callStep`, with `build` also given what the step's own action
 * returned (`run.results[step]`, there: the engine compensates only steps whose action succeeded).
 */
export function compensationStep<Input, Results, Step extends keyof Results & string, Call extends object, Reply extends HttpReply>(
  what: string,
  step: Step,
  build: (run: StepRun<Input, Results>, result: Exclude<Results[Step], undefined>) => Promise<Call>,
  send: KeyedSend<Call, Reply>,
): (run: StepRun<Input, Results>) => Promise<StepResult<Reply>> {
  const withResult = async (run: StepRun<Input, Results>): Promise<Call> => {
    const result = run.results[step];
    if (result === undefined) throw new StepFailed(`${what}: the step ${step} has no result to compensate`);
    return build(run, result as Exclude<Results[Step], undefined>);
  };
  return callStep(what, withResult, send);
}
