/** An event as a subscription handler receives it. */
export interface EventMessage<Name extends string, Payload> {
  /** The event's name, which is also its routing key (`order.created`). */
  readonly name: Name;
  /** The payload's schema version (the spec's `version`). */
  readonly version: number;
  /** Unique per published event: redeliveries carry the same id, so duplicates can be ignored. */
  readonly id: string;
  readonly payload: Payload;
  /** The request that led to it (`x-request-id`), when there was one. */
  readonly requestId?: string;
  /** 1 on the first delivery, 2 on the first retry, … */
  readonly attempt: number;
}

/** An event on its way through a transport: the payload as the JSON text that is sent. */
export interface WireMessage {
  readonly id: string;
  readonly name: string;
  readonly version: number;
  readonly requestId?: string;
  /** The payload as JSON. */
  readonly body: string;
}
