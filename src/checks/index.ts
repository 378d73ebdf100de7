/**
 * Every semantic check, in one list: `lint` runs them all on a model the JSON Schema has
 * already accepted. Adding a rule means adding a function here (and a fixture test).
 */
import type { SystemModel } from '../model/types.js';
import { checkCallCycles } from './calls.js';
import { checkDeployNames, checkKubernetesScaling, checkMonolith } from './deploy.js';
import { checkUnusedEvents } from './events.js';
import type { Check, Finding } from './finding.js';
import { checkOperations, checkPathParams } from './operations.js';
import { checkPatterns } from './patterns.js';
import { checkPorts } from './ports.js';
import { checkRenamedFrom } from './renames.js';
import { checkEventReferences, checkOperationReferences, checkSchemaReferences, checkServiceReferences } from './references.js';
import { checkRouteAuth, checkRouteConflicts, checkRouteReachability, checkUpstreamUrls } from './routes.js';
import { checkSagas } from './sagas.js';

export const CHECKS: readonly Check[] = [
  checkServiceReferences,
  checkOperationReferences,
  checkEventReferences,
  checkSchemaReferences,
  checkPatterns,
  checkPorts,
  checkOperations,
  checkPathParams,
  checkRouteConflicts,
  checkRouteReachability,
  checkUpstreamUrls,
  checkRouteAuth,
  checkSagas,
  checkUnusedEvents,
  checkCallCycles,
  checkDeployNames,
  checkKubernetesScaling,
  checkMonolith,
  checkRenamedFrom,
];

export function runChecks(model: SystemModel): Finding[] {
  return CHECKS.flatMap((check) => check(model));
}

export type { Finding } from './finding.js';
