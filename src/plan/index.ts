/**
 * model → plan. Each output family is a pure function from the model to planned files;
 * this module only collects them into one VirtualTree (which rejects unsafe paths and two
 * generators claiming one file).
 */
import type { GenerateContext } from './context.js';
import { serviceFiles } from './generators/service.js';
import { workspaceFiles } from './generators/workspace.js';
import { VirtualTree } from './tree.js';

export function planSystem(ctx: GenerateContext): VirtualTree {
  const tree = new VirtualTree();
  const families = [workspaceFiles(ctx), ...ctx.model.services.map((s) => serviceFiles(ctx, s))];
  for (const files of families) for (const f of files) tree.add(f);
  return tree;
}
