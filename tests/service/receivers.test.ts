/**
 * The receivers of a publishing service: the subscriptions of other services that an event it
 * publishes reaches (as the model matched them), which it declares on the broker too.
 */
import { describe, expect, it } from 'vitest';
import { lintText } from '../../src/lint.js';
import type { SystemModel } from '../../src/model/types.js';
import { eventReceivers } from '../../src/plan/generators/events.js';
import { planSystem } from '../../src/plan/index.js';
import { loadRuntimePackage } from '../../src/plan/runtime-package.js';

const SPEC = `
microgen: 1
name: recv
services:
  shop:
    publishes: [order.created, order.paid, user.joined]
    subscribes:
      - event: order.created
        handler: onOwnOrder
  mailer:
    subscribes:
      - event: order.*
        handler: onOrder
      - event: user.joined
        handler: sendWelcome
  books:
    subscribes:
      - event: order.paid
        handler: onMoney
      - event: refund.*
        handler: onMoney
  refunds:
    publishes: [refund.made]
  audit:
    publishes: [audit.noted]
  idle:
    subscribes:
      - event: refund.made
events:
  order.created:
    payload: { id: string }
  order.paid:
    payload: { id: string }
  user.joined:
    payload: { id: string }
  refund.made:
    payload: { id: string }
  audit.noted:
    payload: { id: string }
`;

function modelOf(text: string): SystemModel {
  const result = lintText('microgen.yaml', text);
  if (!result.model) throw new Error(JSON.stringify(result.diagnostics, null, 2));
  return result.model;
}

const MODEL = modelOf(SPEC);
const receiversOf = (name: string) => eventReceivers(MODEL, MODEL.services.find((s) => s.name === name)!);
const files = new Map(planSystem({ model: MODEL, specPath: 'microgen.yaml', version: '0.0.0-test', runtime: loadRuntimePackage() }).list().map((f) => [f.path, f.content]));

describe('the receivers of a publishing service', () => {
  it('are the other services’ subscriptions its events match, wildcards included, each handler once with all its patterns', () => {
    expect(receiversOf('shop')).toEqual([
      { service: 'mailer', handler: 'onOrder', patterns: ['order.*'] },
      { service: 'mailer', handler: 'sendWelcome', patterns: ['user.joined'] },
      // onMoney receives order.paid from shop; its queue is also bound for refund.*, as books binds it.
      { service: 'books', handler: 'onMoney', patterns: ['order.paid', 'refund.*'] },
    ]);
    expect(receiversOf('refunds')).toEqual([
      { service: 'books', handler: 'onMoney', patterns: ['order.paid', 'refund.*'] },
      { service: 'idle', handler: 'onRefundMade', patterns: ['refund.made'] },
    ]);
  });

  it('leave out the service’s own subscriptions (it declares those as its own)', () => {
    expect(receiversOf('shop').map((r) => r.service)).not.toContain('shop');
    const events = files.get('services/shop/src/generated/events.ts')!;
    expect(events).toContain("handler: 'onOwnOrder'");
    expect(events).not.toContain("service: 'shop'");
  });

  it('are none for an event no one subscribes to, nor for a service that publishes nothing', () => {
    expect(receiversOf('audit')).toEqual([]);
    expect(receiversOf('mailer')).toEqual([]);
    expect(files.get('services/audit/src/generated/events.ts')).not.toContain('RECEIVERS');
    expect(files.get('services/audit/src/generated/service.ts')).not.toContain('receivers');
  });

  it('are passed to the runtime as RECEIVERS by a service that has some', () => {
    const events = files.get('services/refunds/src/generated/events.ts')!;
    expect(events).toContain("import type { EventCatalog, Receiver } from '@microgen/runtime';");
    expect(events).toContain(
      [
        'export const RECEIVERS: readonly Receiver[] = [',
        "  { service: 'books', handler: 'onMoney', patterns: ['order.paid', 'refund.*'] },",
        "  { service: 'idle', handler: 'onRefundMade', patterns: ['refund.made'] },",
        '];',
      ].join('\n'),
    );
    const service = files.get('services/refunds/src/generated/service.ts')!;
    expect(service).toContain("import { EVENT_SCHEMAS, PUBLISHES, RECEIVERS } from './events.js';");
    expect(service).toContain('    receivers: RECEIVERS,\n');
  });
});
