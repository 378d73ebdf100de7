/**
 * Saga rules. `saga-chain`: in a choreography every step must wait for an event that the
 * start or an earlier step emits, and every compensation for one a step emits or fails
 * with; otherwise the saga stalls. `saga-uncompensated`: a step can fail after earlier
 * steps changed state and nothing undoes them (a step whose operation only reads, GET, HEAD or
 * OPTIONS, changes nothing). `saga-step-name`: the steps of an orchestration become the methods of its
 * step class (`create-order` → `createOrder`, `compensateCreateOrder`): two steps must not give
 * one method, nor one the class already has.
 */
import { sagaStepMethods } from '../model/names.js';
import type { Saga, SystemModel } from '../model/types.js';
import { error, warning, type Finding } from './finding.js';
import { serviceNamed } from '../model/lookup.js';

type Choreography = Extract<Saga, { style: 'choreography' }>;
type Orchestration = Extract<Saga, { style: 'orchestration' }>;

function chain(saga: Choreography): Finding[] {
  const out: Finding[] = [];
  const emitted = new Set<string>([saga.start]);
  for (const st of saga.steps) {
    if (!emitted.has(st.when)) {
      out.push(error('saga-chain', [...st.at, 'when'], `saga ${saga.name}: the step of service ${st.service} waits for "${st.when}", which neither \`start\` nor an earlier step emits`));
    }
    if (st.emits) emitted.add(st.emits);
  }
  const failures = new Set<string>(saga.steps.flatMap((st) => [st.fails, st.emits].filter((e): e is string => !!e)));
  for (const c of saga.compensations) {
    if (!failures.has(c.when)) {
      out.push(error('saga-chain', [...c.at, 'when'], `saga ${saga.name}: the compensation of service ${c.service} waits for "${c.when}", which no step emits or fails with`));
    }
  }
  return out;
}

/** Methods that do not change state (RFC 9110 "safe"): a step that only reads has nothing to undo. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function uncompensatedOrchestration(model: SystemModel, saga: Orchestration): Finding[] {
  const methodOf = (service: string, operation: string) => serviceNamed(model, service)?.operations.find((o) => o.name === operation)?.method;
  // Every step but the last can be followed by a failure; the last one's failure has nothing after it to undo.
  return saga.steps
    .slice(0, -1)
    .filter((st) => !st.compensation && !SAFE_METHODS.has(methodOf(st.action.service, st.action.operation) ?? ''))
    .map((st) =>
      warning('saga-uncompensated', [...st.at, 'action'], `saga ${saga.name}: step ${st.name} changes state through ${st.action.service}.${st.action.operation}, and nothing compensates it when a later step fails`),
    );
}

function uncompensatedChoreography(saga: Choreography): Finding[] {
  const out: Finding[] = [];
  saga.steps.forEach((st, i) => {
    if (!st.fails) return;
    const earlier = saga.steps.slice(0, i);
    const handlers = saga.compensations.filter((c) => c.when === st.fails);
    for (const prev of earlier) {
      if (!handlers.some((c) => c.service === prev.service)) {
        out.push(
          warning('saga-uncompensated', [...st.at, 'fails'], `saga ${saga.name}: "${st.fails}" can follow the step of service ${prev.service}, and no compensation of ${prev.service} reacts to it`),
        );
      }
    }
    if (earlier.length > 0 && handlers.length === 0 && out.length === 0) {
      out.push(warning('saga-uncompensated', [...st.at, 'fails'], `saga ${saga.name}: nothing compensates when "${st.fails}" happens`));
    }
  });
  return out;
}

/** What the step class of a saga has besides the steps' methods. */
const CLASS_MEMBERS = new Set(['ctx', 'constructor']);

function stepNames(saga: Orchestration): Finding[] {
  const out: Finding[] = [];
  const taken = new Map<string, string>();
  for (const st of saga.steps) {
    const { action, compensation } = sagaStepMethods(st.name);
    for (const method of st.compensation ? [action, compensation] : [action]) {
      const other = taken.get(method);
      const clash = other === st.name ? `another step is named ${st.name}` : other !== undefined ? `so does step ${other}` : CLASS_MEMBERS.has(method) ? 'the class has one' : undefined;
      if (clash !== undefined) {
        out.push(error('saga-step-name', [...st.at, 'name'], `saga ${saga.name}: step ${st.name} gives its step class the method ${method}, and ${clash}: rename the step`, 'value'));
        break;
      }
      taken.set(method, st.name);
    }
  }
  return out;
}

export function checkSagas(model: SystemModel): Finding[] {
  return model.sagas.flatMap((saga) =>
    saga.style === 'choreography' ? [...chain(saga), ...uncompensatedChoreography(saga)] : [...stepNames(saga), ...uncompensatedOrchestration(model, saga)],
  );
}
