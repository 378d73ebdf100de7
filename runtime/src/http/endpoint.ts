/** Where a callee is: `url()` gives a base URL per attempt; `failed()` says that base URL did not answer. */
export interface Endpoint {
  url(): Promise<string>;
  failed?(url: string): void;
}

/** A fixed base URL (from `<SERVICE>_SERVICE_URL`, or the callee's local default). */
export function fixedEndpoint(url: string): Endpoint {
  return { url: async () => url };
}
