/** `duplicate-port`: two services, or a service and the gateway, on one port. */
import type { SystemModel } from '../model/types.js';
import { error, type Finding } from './finding.js';

export function checkPorts(model: SystemModel): Finding[] {
  const out: Finding[] = [];
  const owners = new Map<number, string>([[model.gateway.port, 'the gateway']]);
  for (const s of model.services) {
    const owner = owners.get(s.port);
    if (owner !== undefined) {
      out.push(error('duplicate-port', s.portDeclared ? [...s.at, 'port'] : s.at, `service ${s.name} uses port ${s.port}, already taken by ${owner}`, s.portDeclared ? 'value' : 'key'));
    } else {
      owners.set(s.port, `service ${s.name}`);
    }
  }
  return out;
}
