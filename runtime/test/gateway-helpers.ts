/**
 * Upstreams for the gateway tests: a small HTTP server that answers with what it received
 * (method, path, headers, body size and hash), plus routes that are slow, fail, stream or wait.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GatewayDefinition, GatewayRoute, ServiceRoute, UpstreamRoute } from '../src/gateway/index.js';

export interface Echoed {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly size: number;
  readonly sha256: string;
}

export interface Upstream {
  readonly url: string;
  readonly port: number;
  /** Requests received, in order. */
  readonly seen: Echoed[];
  /** Resolves when the next request body's first chunk arrives (the streaming checks). */
  firstChunk(): Promise<void>;
  /** Lets a waiting /stream-down answer go on with its second half. */
  release(): void;
  close(): Promise<void>;
}

export const MB = 1024 * 1024;

/** `/health` → 200; `/status/<code>`; `/slow/<ms>`; `/download/<bytes>`; `/stream-down`; anything else → the echo. */
export async function echoUpstream(): Promise<Upstream> {
  const seen: Echoed[] = [];
  let onFirst: (() => void) | undefined;
  let onRelease: (() => void) | undefined;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/health') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    if (path.startsWith('/download/')) {
      const size = Number(path.slice('/download/'.length));
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': size });
      const chunk = Buffer.alloc(64 * 1024, 7);
      let left = size;
      const pump = (): void => {
        while (left > 0) {
          const n = Math.min(left, chunk.length);
          left -= n;
          if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void res.once('drain', pump);
        }
        res.end();
      };
      return pump();
    }
    if (path === '/stream-down') {
      // The first half goes now; the second only once the client says it has the first.
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first half;');
      onRelease = () => res.end('second half');
      return;
    }
    const hash = createHash('sha256');
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      if (size === 0) onFirst?.();
      size += chunk.length;
      hash.update(chunk);
    });
    req.on('end', () => {
      const echoed: Echoed = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, size, sha256: hash.digest('hex') };
      seen.push(echoed);
      if (path.startsWith('/status/')) {
        const status = Number(path.slice('/status/'.length));
        return void res.writeHead(status, { 'x-upstream': 'yes', 'content-type': 'application/json' }).end(JSON.stringify({ status }));
      }
      if (path.startsWith('/slow/')) {
        const timer = setTimeout(() => res.writeHead(200).end('late'), Number(path.slice('/slow/'.length)));
        res.on('close', () => clearTimeout(timer));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', connection: 'x-upstream-private', 'x-upstream-private': 'not for clients' });
      res.end(JSON.stringify(echoed));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    firstChunk: () => new Promise<void>((resolve) => (onFirst = resolve)),
    release: () => onRelease?.(),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type RouteOptions = Partial<Omit<ServiceRoute, 'service' | 'upstream'>> & { readonly path: string };

/** A route with the tests' defaults: stripped, no auth, a 2 s timeout. */
export function route<const S extends string>(r: RouteOptions & { readonly service: S }): ServiceRoute<S>;
export function route(r: RouteOptions & { readonly upstream: string }): UpstreamRoute;
export function route(r: RouteOptions & ({ readonly service: string } | { readonly upstream: string })): GatewayRoute {
  return { stripPath: true, upstreamPath: '/', auth: 'none', timeoutMs: 2_000, ...r } as GatewayRoute;
}

/** A gateway definition with the tests' defaults (port 0, dns, memory counts), one echo service, no routes. */
export const definition = (settings: Partial<GatewayDefinition>): GatewayDefinition => ({
  system: 'tests',
  port: 0,
  discovery: 'dns',
  services: { echo: 1 },
  rateLimitStore: 'memory',
  routes: [],
  ...settings,
});
