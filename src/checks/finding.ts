/**
 * What a check returns: a problem at a path of the spec. The lint pipeline turns findings
 * into positioned diagnostics; checks never see YAML.
 */
import type { Severity } from '../diagnostics/diagnostic.js';
import type { Anchor, SpecPath } from '../model/types.js';
import type { SystemModel } from '../model/types.js';

export interface Finding {
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
  readonly at: SpecPath;
  readonly anchor?: Anchor;
}

export type Check = (model: SystemModel) => Finding[];

export const error = (rule: string, at: SpecPath, message: string, anchor?: Anchor): Finding => ({ rule, severity: 'error', message, at, ...(anchor ? { anchor } : {}) });
export const warning = (rule: string, at: SpecPath, message: string, anchor?: Anchor): Finding => ({ rule, severity: 'warning', message, at, ...(anchor ? { anchor } : {}) });
