/** Where a service's files go, and the stable keys the manifest knows them by: one place for both. */

/** `services/<name>` or a path inside it. */
export const servicePath = (service: string, path?: string): string => (path ? `services/${service}/${path}` : `services/${service}`);

/** `service:<name>:<what>`: a planned file's stable key (the manifest and stubs remember files by it). */
export const serviceKey = (service: string, what: string): string => `service:${service}:${what}`;

/**
 * The stable keys of the members microgen stubs into a service's user-owned handler classes
 * (the manifest remembers ensured stubs, and the rename detector matches members, by them).
 */
export const memberKeys = {
  operation: (operation: string): string => `operation:${operation}`,
  handler: (handler: string): string => `event:${handler}`,
  fallback: (callee: string, operation: string): string => `fallback:${callee}:${operation}`,
  /** A method of a saga's step class (an action's or a compensation's): `saga-step:createOrder`. */
  sagaStep: (method: string): string => `saga-step:${method}`,
};
