/** An event as a subscription handler receives it. */
export interface EventMessage<Name extends string, Payload> {
  /** The event's name, which is also its routing key (`order.created`). */
  readonly name: Name;
  /** The payload's schema version (the spec's `version`). */
  readonly version: number;
  /** Unique per published event: redeliveries carry the same id, so duplicates can be ignored. */
  readonly id: string;
  readonly payload: Payload;
}
