/** JSON-pointer `$ref`s of an exported document must all land on something. */
import { expect } from 'vitest';
import { collectRefs } from '../../src/export/json-schema.js';

export function resolvePointer(doc: unknown, ref: string): unknown {
  if (!ref.startsWith('#/')) throw new Error(`not a local ref: ${ref}`);
  let node: unknown = doc;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !(key in (node as object))) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

export function assertRefsResolve(doc: unknown): void {
  const refs = collectRefs(doc);
  for (const ref of refs) expect(resolvePointer(doc, ref), `${ref} resolves`).toBeDefined();
}
