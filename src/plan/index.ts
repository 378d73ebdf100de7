/**
 * model → plan: every generator's files collected into one VirtualTree (which rejects unsafe
 * paths and two generators claiming one file).
 */
import type { GenerateContext } from './context.js';
import { GENERATORS } from './generators/index.js';
import { VirtualTree } from './tree.js';

export function planSystem(ctx: GenerateContext): VirtualTree {
  const tree = new VirtualTree();
  for (const generator of GENERATORS) for (const file of generator.files(ctx)) tree.add(file);
  return tree;
}
