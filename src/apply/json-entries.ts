/**
 * Ensuring entries in a user-owned JSON file (package.json): add what is missing, at the end
 * of its object, and nothing else. The user's keys, order, values and versions stay; the file
 * is re-serialised with its own indentation and final newline (npm writes package.json the
 * same way, so an npm-maintained file round-trips byte for byte).
 */
import type { JsonEntryStub } from '../plan/tree.js';
import { detectIndent } from './indent.js';
import type { StubResult } from './stubs.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
const isObject = (v: unknown): v is Record<string, Json> => v !== null && typeof v === 'object' && !Array.isArray(v);

export function ensureJsonEntries(text: string, stubs: readonly JsonEntryStub[]): StubResult {
  let data: Json;
  try {
    data = JSON.parse(text) as Json;
  } catch {
    // Not JSON any more: the user's file, the user's problem; `npm` will say so. Report, change nothing.
    return { text, added: [], present: [], unplaced: stubs.map((s) => s.key) };
  }
  if (!isObject(data)) return { text, added: [], present: [], unplaced: stubs.map((s) => s.key) };
  const added: string[] = [];
  const present: string[] = [];
  const unplaced: string[] = [];
  for (const stub of stubs) {
    const parentPath = stub.item ? stub.path : stub.path.slice(0, -1);
    let parent: Json = data;
    for (const [i, seg] of parentPath.entries()) {
      if (!isObject(parent)) break;
      if (parent[seg] === undefined) parent[seg] = stub.item && i === parentPath.length - 1 ? [] : {};
      parent = parent[seg];
    }
    if (stub.item) {
      if (!Array.isArray(parent)) unplaced.push(stub.key);
      else if (parent.some((v) => JSON.stringify(v) === JSON.stringify(stub.value))) present.push(stub.key);
      else {
        parent.push(stub.value as Json);
        added.push(stub.key);
      }
      continue;
    }
    const last = stub.path[stub.path.length - 1];
    if (!isObject(parent)) unplaced.push(stub.key);
    else if (last in parent) present.push(stub.key);
    else {
      parent[last] = stub.value as Json;
      added.push(stub.key);
    }
  }
  if (added.length === 0) return { text, added, present, unplaced };
  const indent = detectIndent(text);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const body = JSON.stringify(data, null, indent).replace(/\n/g, eol);
  return { text: text.endsWith('\n') ? `${body}${eol}` : body, added, present, unplaced };
}
