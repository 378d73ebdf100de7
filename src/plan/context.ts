/** What every generator receives: the model and facts about where output goes. */
import type { SystemModel } from '../model/types.js';
import type { RuntimePackage } from './runtime-package.js';

export interface GenerateContext {
  readonly model: SystemModel;
  /** The spec's path relative to the output folder (POSIX), named in headers and READMEs. */
  readonly specPath: string;
  /** microgen's version, recorded in generated package.json files. */
  readonly version: string;
  /** The built runtime library, copied into packages/runtime. */
  readonly runtime: RuntimePackage;
}
