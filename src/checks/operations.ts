/**
 * Per-service operation rules: `operation-conflict` (two operations on one method and path,
 * parameters compared by position, not name; `GET /health` is the generated health check)
 * and `path-param` (`params` naming something the path does not have, or a `{param}` used twice).
 */
import { pathParams } from '../model/build.js';
import type { SystemModel } from '../model/types.js';
import { didYouMean } from '../util/suggest.js';
import { error, type Finding } from './finding.js';

/** `/users/{id}` and `/users/{userId}` are one route to a router. */
export const routeShape = (path: string): string => path.replace(/\{[^}]+\}/g, '{}');

export function checkOperations(model: SystemModel): Finding[] {
  const out: Finding[] = [];
  for (const s of model.services) {
    const seen = new Map<string, string>([['GET /health', 'the generated health check']]);
    for (const op of s.operations) {
      const key = `${op.method} ${routeShape(op.path)}`;
      const other = seen.get(key);
      if (other) out.push(error('operation-conflict', [...op.at, 'http'], `operation ${op.name} (${op.method} ${op.path}) clashes with ${other} in service ${s.name}`));
      else seen.set(key, `operation ${op.name}`);
    }
  }
  return out;
}

export function checkPathParams(model: SystemModel): Finding[] {
  const out: Finding[] = [];
  for (const s of model.services) {
    for (const op of s.operations) {
      const inPath = pathParams(op.path);
      // `/a/{id}/b/{id}` gave the operation two parameters of one name: a duplicate property in
      // the generated types and a route the router refuses.
      const twice = inPath.filter((p, i) => inPath.indexOf(p) !== i);
      for (const name of new Set(twice)) {
        out.push(error('path-param', [...op.at, 'http'], `${op.method} ${op.path} uses {${name}} more than once; give each path parameter its own name`));
      }
      for (const { name, at } of op.declaredParams) {
        if (!inPath.includes(name)) {
          out.push(error('path-param', at, `params names "${name}", which is not a {param} of ${op.method} ${op.path}${didYouMean(name, inPath)}`, 'key'));
        }
      }
    }
  }
  return out;
}
