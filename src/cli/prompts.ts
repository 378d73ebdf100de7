/**
 * Interactive questions for `microgen add` and `microgen init`, asked through the plop
 * generators in generators/plopfile.js, run by node-plop (plop's engine). Only the prompts
 * are used: the answers come back here and go through the same code path as the flags.
 *
 * Prompts are only ever shown on a terminal (`io.isTTY`); callers check that first.
 * Tests replace the prompter with `setPrompter`.
 */
import type { PlopCfg } from 'node-plop';
import { ownPath } from '../util/own-files.js';

/** The plopfile ships in the package next to dist/ and src/. */
export const PLOPFILE = ownPath('generators', 'plopfile.js');

/** What the prompts know about the spec: names that exist (duplicates, choices) and defaults. */
export interface PromptContext {
  services: string[];
  events: string[];
  operations: Record<string, Array<{ name: string; http?: string }>>;
  routes: string[];
  /** The port `add service` writes when none is given (absent: the prompt leaves it to `add`). */
  nextPort?: number;
  gatewayAuth: boolean;
  defaultName?: string;
}

/** Answers by prompt name; `given` holds what the flags already said (those prompts are skipped). */
export type Answers = Record<string, string | boolean | undefined>;

export type Prompter = (generator: 'service' | 'event' | 'operation' | 'route' | 'init', given: Answers, ctx: PromptContext) => Promise<Answers>;

const plopPrompter: Prompter = async (generator, given, ctx) => {
  const cfg = { destBasePath: process.cwd(), force: false, microgen: ctx } as PlopCfg;
  // Imported here, not at the top: only an interactive `add`/`init` needs plop and inquirer.
  const { default: nodePlop } = await import('node-plop');
  const plop = await nodePlop(PLOPFILE, cfg);
  const gen = plop.getGenerator(generator);
  // plop's bypass list: one entry per prompt, in order; `_` means "ask".
  const bypass = (gen.prompts as Array<{ name: string }>).map((p) => {
    const v = given[p.name];
    if (v === undefined) return '_';
    if (typeof v === 'boolean') return v ? 'yes' : 'no';
    return v;
  });
  const answers = (await gen.runPrompts(bypass)) as Answers;
  return { ...given, ...answers };
};

let current: Prompter = plopPrompter;

/** Replace the prompter (tests); no argument restores plop. */
export function setPrompter(p?: Prompter): void {
  current = p ?? plopPrompter;
}

export function ask(generator: Parameters<Prompter>[0], given: Answers, ctx: PromptContext): Promise<Answers> {
  return current(generator, given, ctx);
}
