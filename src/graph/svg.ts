/**
 * DOT → SVG without a browser: Graphviz compiled to WebAssembly (`@hpcc-js/wasm-graphviz`,
 * which carries its wasm inside the package). If that cannot load, a `dot` binary on PATH
 * is the fallback.
 */
import { execFile } from 'node:child_process';

export class RenderError extends Error {}

async function withWasm(dot: string): Promise<string> {
  const { Graphviz } = await import('@hpcc-js/wasm-graphviz');
  const graphviz = await Graphviz.load();
  return graphviz.dot(dot, 'svg');
}

function withBinary(dot: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('dot', ['-Tsvg'], { maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(String(stderr).trim() || err.message));
      else resolve(stdout);
    });
    child.stdin?.end(dot);
  });
}

export async function renderSvg(dot: string): Promise<string> {
  let wasmError: unknown;
  try {
    return await withWasm(dot);
  } catch (err) {
    wasmError = err;
  }
  try {
    return await withBinary(dot);
  } catch (err) {
    throw new RenderError(
      `cannot render SVG: the Graphviz WebAssembly module failed (${(wasmError as Error).message ?? wasmError}) and no usable \`dot\` binary was found (${(err as Error).message})`,
    );
  }
}
