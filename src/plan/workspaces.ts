/**
 * The workspace packages of a generated system, in one place: the root package.json lists them
 * all, the root tsconfig references those tsc builds (the runtime library arrives built).
 */
import type { SystemModel } from '../model/types.js';
import { servicePath } from './paths.js';

export const RUNTIME_PACKAGE_DIR = 'packages/runtime';
/** The Node gateway (Kong's config goes in the same folder). */
export const GATEWAY_PACKAGE_DIR = 'gateway';
/** The whole system as one process: what `microgen dev` runs and the monolith ships. */
export const SYSTEM_PACKAGE_DIR = 'system';

/** The TypeScript projects `tsc -b` builds, dependencies first. */
export function typeScriptProjects(model: SystemModel): string[] {
  return [...model.services.map((s) => servicePath(s.name)), GATEWAY_PACKAGE_DIR, SYSTEM_PACKAGE_DIR];
}

export function workspacePackages(model: SystemModel): string[] {
  return [RUNTIME_PACKAGE_DIR, ...typeScriptProjects(model)];
}

/** The npm name of a workspace package of the system: `@shop/user`, `@shop/system`. */
export const packageName = (model: SystemModel, name: string): string => `@${model.name}/${name}`;
