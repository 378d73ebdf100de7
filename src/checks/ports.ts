/**
 * `duplicate-port`: two services, or a service and the gateway, on one port. A service without
 * `port:` gets the port of its place in the spec (src/model/build.ts); a declared port equal to
 * it is a clash too, not a reason to move the other service: the message names both and says
 * how to keep the implicit one where it is.
 */
import type { Service, SystemModel } from '../model/types.js';
import { error, type Finding } from './finding.js';

const at = (s: Service) => (s.portDeclared ? [...s.at, 'port'] : s.at);

export function checkPorts(model: SystemModel): Finding[] {
  const out: Finding[] = [];
  const byPort = new Map<number, Service[]>();
  for (const s of model.services) {
    if (s.port === model.gateway.port) {
      out.push(error('duplicate-port', at(s), `service ${s.name} uses port ${s.port}, already taken by the gateway`, s.portDeclared ? 'value' : 'key'));
      continue;
    }
    byPort.set(s.port, [...(byPort.get(s.port) ?? []), s]);
  }
  for (const [port, users] of byPort) {
    if (users.length < 2) continue;
    const implicit = users.find((s) => !s.portDeclared);
    if (implicit) {
      for (const s of users.filter((u) => u !== implicit)) {
        const message = `service ${s.name} uses port ${port}, which service ${implicit.name} gets implicitly (it has no port:); give ${implicit.name} an explicit port: ${port} and pick another for ${s.name}`;
        out.push(error('duplicate-port', at(s), message, 'value'));
      }
    } else {
      for (const s of users.slice(1)) out.push(error('duplicate-port', at(s), `service ${s.name} uses port ${port}, already taken by service ${users[0].name}`, 'value'));
    }
  }
  return out;
}
