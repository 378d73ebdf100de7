/**
 * Two SystemModels → the changes between them. Pure: positions are added later (`locate.ts`).
 *
 * Whether a type change breaks depends on who reads the data:
 * - `read` positions (params, query, body) are read by the service: the new type must accept
 *   everything the old one did, so narrowing (string → enum, number → integer, a value removed
 *   from an enum, a new required field) breaks running clients;
 * - `write` positions (responses, event payloads) are written by the service: the new type must
 *   stay inside the old one, so widening (integer → number, a new enum value, a field removed or
 *   made optional) breaks running clients and subscribers.
 * The other direction never breaks the wire, but when the TypeScript type changes the user's
 * handler code may no longer compile: that is a `source` change.
 *
 * A change inside a named schema is reported once, at the schema, listing where it is used.
 */
import { pathParams } from '../model/build.js';
import { eventMatches } from '../model/names.js';
import { typeToString } from '../model/type-string.js';
import type { EventDef, Field, NamedSchema, Operation, Route, Service, SpecPath, SystemModel, TypeRef } from '../model/types.js';
import { severityRank, type ChangeKind, type ChangeSeverity, type RawChange } from './change.js';
import { routeTarget, upstreamPrefix } from '../checks/routes.js';
import { detectRenames, userMembers, type Rename } from '../plan/renames.js';

type Direction = 'read' | 'write';

interface Loc {
  readonly side: 'old' | 'new';
  readonly path: SpecPath;
}

/** Where a comparison is: the human path, the place in each spec, and the use that led here. */
interface Ctx {
  readonly dir: Direction;
  readonly where: string;
  /** Set inside a named schema: the use that reached it, e.g. `response 200 of user.getUser`. */
  readonly use?: string;
  /** The use at the top: `response 200 of user.getUser`. */
  readonly site: string;
  readonly oldAt?: SpecPath;
  readonly newAt?: SpecPath;
  /** The services whose schemas are in scope (for `scope: 'service'` refs). */
  readonly oldService?: string;
  readonly newService?: string;
  /** Schema pairs already being compared in this use (recursive schemas). */
  readonly seen: ReadonlySet<string>;
}

interface Pending {
  kind: ChangeKind;
  severity: ChangeSeverity;
  detail: string;
  where: string;
  at: Loc;
  uses: string[];
}

const loc = (newAt: SpecPath | undefined, oldAt: SpecPath | undefined): Loc =>
  newAt !== undefined ? { side: 'new', path: newAt } : { side: 'old', path: oldAt ?? [] };

const q = (s: string): string => `\`${s}\``;
const list = (items: readonly string[]): string => items.map(q).join(', ');
const opKey = (op: Operation): string => `${op.method} ${op.path.replace(/\{[^}]*\}/g, '{}')}`;
const http = (op: Operation): string => `${op.method} ${op.path}`;
const byName = <T extends { name: string }>(items: readonly T[]): Map<string, T> => new Map(items.map((i) => [i.name, i]));

/** What TypeScript sees of a scalar: `integer` and `number` are both `number`, formats are `string`. */
function tsKind(t: TypeRef): string {
  switch (t.kind) {
    case 'primitive':
      return t.name === 'integer' ? 'number' : t.name;
    case 'format':
      return 'string';
    case 'enum':
      return `enum:${[...t.values].sort().join('|')}`;
    default:
      return t.kind;
  }
}

type Scalar = Extract<TypeRef, { kind: 'primitive' | 'format' | 'enum' }>;
const isScalar = (t: TypeRef): t is Scalar => t.kind === 'primitive' || t.kind === 'format' || t.kind === 'enum';

/** How the set of values of `b` relates to that of `a` (enums are compared value by value elsewhere). */
function scalarRelation(a: Scalar, b: Scalar): 'same' | 'wider' | 'narrower' | 'changed' {
  const isString = (t: Scalar) => t.kind === 'primitive' && t.name === 'string';
  if (a.kind === 'primitive' && b.kind === 'primitive') {
    if (a.name === b.name) return 'same';
    if (a.name === 'integer' && b.name === 'number') return 'wider';
    if (a.name === 'number' && b.name === 'integer') return 'narrower';
    return 'changed';
  }
  if (a.kind === 'format' && b.kind === 'format') return a.format === b.format ? 'same' : 'changed';
  if (isString(a) && (b.kind === 'format' || b.kind === 'enum')) return 'narrower';
  if ((a.kind === 'format' || a.kind === 'enum') && isString(b)) return 'wider';
  return 'changed';
}

const ERROR_TYPE: TypeRef = {
  kind: 'object',
  fields: [
    { name: 'error', type: { kind: 'primitive', name: 'string' }, optional: false, at: [] },
    { name: 'message', type: { kind: 'primitive', name: 'string' }, optional: false, at: [] },
  ],
};

interface Resolved {
  readonly type: TypeRef;
  readonly schema?: NamedSchema;
  readonly where?: string;
}

function schemaWhere(s: NamedSchema): string {
  return s.owner === 'shared' ? `schemas.${s.name}` : `services.${s.owner}.schemas.${s.name}`;
}

/** A ref to the type it names, following aliases (`Money: number`); other types as they are. */
function resolve(model: SystemModel, service: string | undefined, type: TypeRef): Resolved {
  let t = type;
  let schema: NamedSchema | undefined;
  for (let hops = 0; t.kind === 'ref' && hops < 32; hops++) {
    if (t.scope === 'builtin') return { type: ERROR_TYPE, where: 'Error' };
    const pool = t.scope === 'service' ? model.services.find((s) => s.name === service)?.schemas ?? [] : model.schemas;
    const found = pool.find((s) => s.name === (t as { name: string }).name);
    if (!found) return { type: t };
    // The outermost named schema is where a change is reported.
    schema ??= found;
    t = found.type;
    // A shared schema's own refs resolve among shared schemas.
    if (found.owner === 'shared') service = undefined;
  }
  return { type: t, ...(schema ? { schema, where: schemaWhere(schema) } : {}) };
}

export class Differ {
  private readonly pending = new Map<string, Pending>();
  private sink: Pending[] | undefined;
  /** Renamed operations and handlers, by `<service>\0<kind>\0<old name>` (the detector `generate` uses too). */
  private readonly renames: Map<string, Rename>;

  constructor(
    private readonly a: SystemModel,
    private readonly b: SystemModel,
  ) {
    const { renames } = detectRenames(userMembers(a), userMembers(b));
    this.renames = new Map(renames.map((r) => [`${r.service}\0${r.kind}\0${r.from.name}`, r]));
  }

  private renamed(service: string, kind: Rename['kind'], name: string): string | undefined {
    return this.renames.get(`${service}\0${kind}\0${name}`)?.to.name;
  }

  run(): RawChange[] {
    this.services();
    this.events();
    this.routes();
    this.sagas();
    return [...this.pending.values()]
      .map(
        (p): RawChange => ({
          kind: p.kind,
          severity: p.severity,
          where: p.where,
          at: p.at,
          message: p.uses.length > 0 ? `${p.detail} (used by ${p.uses.join(', ')})` : p.detail,
        }),
      )
      .sort((x, y) => severityRank(x.severity) - severityRank(y.severity) || (x.where < y.where ? -1 : x.where > y.where ? 1 : 0) || (x.kind < y.kind ? -1 : x.kind > y.kind ? 1 : 0));
  }

  private emit(kind: ChangeKind, severity: ChangeSeverity, where: string, detail: string, at: Loc, use?: string): void {
    const key = JSON.stringify([kind, where, detail, at.side, at.path]);
    let p = this.pending.get(key);
    if (!p) {
      p = { kind, severity, detail, where, at, uses: [] };
      this.pending.set(key, p);
    } else if (severityRank(severity) < severityRank(p.severity)) p.severity = severity;
    if (use !== undefined && !p.uses.includes(use)) p.uses.push(use);
    this.sink?.push(p);
  }

  // ---- services and operations ------------------------------------------------------------

  private services(): void {
    const news = byName(this.b.services);
    for (const s of this.a.services) {
      const n = news.get(s.name);
      const where = `services.${s.name}`;
      if (!n) {
        const ops = s.operations.length;
        this.emit(
          'service-removed',
          'wire',
          where,
          `service ${q(s.name)} was removed${ops > 0 ? ` with its ${ops} operation${ops === 1 ? '' : 's'}` : ''}: its clients and subscribers lose it`,
          loc(undefined, s.at),
        );
        continue;
      }
      if (s.port !== n.port) {
        // A port is wire contract: URLs in .env, compose, the gateway and other systems name it.
        const why = n.portDeclared ? '' : ` (it has no port:, so its place in the spec decides it; pin it with port: ${s.port})`;
        this.emit('port-changed', 'wire', where, `port of ${q(s.name)} changed from ${s.port} to ${n.port}${why}: whoever calls it on ${s.port} loses it`, loc(n.portDeclared ? [...n.at, 'port'] : n.at, undefined));
      }
      if (s.database !== n.database) {
        this.emit('database-changed', 'info', where, `database of ${q(s.name)} changed from ${s.database} to ${n.database}: its data needs migrating`, loc([...n.at, 'database'], undefined));
      }
      this.operations(s, n);
      this.handlers(s, n);
    }
    const olds = byName(this.a.services);
    for (const n of this.b.services) {
      if (!olds.has(n.name)) this.emit('service-added', 'info', `services.${n.name}`, `service ${q(n.name)} was added`, loc(n.at, undefined));
    }
  }

  private operations(s: Service, n: Service): void {
    const news = byName(n.operations);
    const olds = byName(s.operations);
    const renamedTo = new Set<string>();
    for (const o of s.operations) {
      const where = `services.${s.name}.operations.${o.name}`;
      const same = news.get(o.name);
      if (same) {
        if (opKey(o) !== opKey(same)) {
          this.emit(
            'operation-moved',
            'wire',
            where,
            `operation ${q(o.name)} moved from ${http(o)} to ${http(same)}: clients still calling ${http(o)} get 404`,
            loc([...same.at, 'http'], undefined),
          );
        }
        this.operationContents(o, same, where);
        continue;
      }
      const successor = news.get(this.renamed(s.name, 'operation', o.name) ?? '');
      if (successor) {
        renamedTo.add(successor.name);
        const moved = opKey(o) !== opKey(successor);
        this.emit(
          'operation-renamed',
          'source',
          where,
          moved
            ? `operation ${q(o.name)} was renamed to ${q(successor.name)}: generated client methods and handlers are renamed`
            : `operation ${q(o.name)} was renamed to ${q(successor.name)} (still ${http(successor)}): the wire is unchanged, but generated client methods and handlers are renamed`,
          loc(successor.at, undefined),
        );
        if (moved) {
          this.emit(
            'operation-moved',
            'wire',
            `services.${s.name}.operations.${successor.name}`,
            `operation ${q(successor.name)} moved from ${http(o)} to ${http(successor)}: clients still calling ${http(o)} get 404`,
            loc([...successor.at, 'http'], undefined),
          );
        }
        this.operationContents(o, successor, `services.${s.name}.operations.${successor.name}`);
        continue;
      }
      this.emit('operation-removed', 'wire', where, `operation ${q(o.name)} (${http(o)}) was removed: clients calling it get 404`, loc(undefined, o.at));
    }
    for (const c of n.operations) {
      if (!olds.has(c.name) && !renamedTo.has(c.name)) {
        this.emit('operation-added', 'info', `services.${n.name}.operations.${c.name}`, `operation ${q(c.name)} (${http(c)}) was added`, loc(c.at, undefined));
      }
    }
  }

  /** Event handlers renamed (a subscription's `handler`, or the event a saga step reacts to). */
  private handlers(s: Service, n: Service): void {
    for (const old of new Set(s.subscribes.map((sub) => sub.handler))) {
      const name = this.renamed(s.name, 'handler', old);
      const sub = n.subscribes.find((x) => x.handler === name);
      if (!sub) continue;
      this.emit(
        'handler-renamed',
        'source',
        `services.${s.name}.handlers.${old}`,
        `event handler ${q(old)} of ${q(s.name)} was renamed to ${q(sub.handler)}: the wire is unchanged, but the generated handler method is renamed`,
        loc(sub.at, undefined),
      );
    }
  }

  private operationContents(o: Operation, n: Operation, where: string): void {
    const opName = `${n.service}.${n.name}`;
    const base = { oldService: o.service, newService: n.service, seen: new Set<string>() };

    // Path parameters match by position: their names are not on the wire.
    const oldNames = pathParams(o.path);
    const newNames = pathParams(n.path);
    if (opKey(o) === opKey(n)) {
      o.params.forEach((p, i) => {
        const np = n.params[i];
        if (!np) return;
        if (oldNames[i] !== newNames[i]) {
          this.emit('param-renamed', 'source', `${where}.params.${np.name}`, `path parameter ${q(p.name)} was renamed to ${q(np.name)}: handler code reading it changes`, loc(np.at, undefined));
        }
        this.compare(p.type, np.type, { ...base, dir: 'read', where: `${where}.params.${np.name}`, site: `path parameter ${np.name} of ${opName}`, oldAt: p.at, newAt: np.at });
      });
    }

    this.fields(o.query, n.query, { ...base, dir: 'read', where: `${where}.query`, site: `query of ${opName}`, oldAt: [...o.at, 'query'], newAt: [...n.at, 'query'] });

    const bodyCtx: Ctx = { ...base, dir: 'read', where: `${where}.body`, site: `body of ${opName}`, oldAt: [...o.at, 'body'], newAt: [...n.at, 'body'] };
    const oldBody = o.body && o.body.kind !== 'empty' ? o.body : undefined;
    const newBody = n.body && n.body.kind !== 'empty' ? n.body : undefined;
    if (oldBody && newBody) this.compare(oldBody, newBody, bodyCtx);
    else if (!oldBody && newBody) {
      const resolved = resolve(this.b, n.service, newBody).type;
      if (resolved.kind === 'object') this.fields([], resolved.fields, { ...bodyCtx, oldAt: undefined });
      else this.emit('body-added', 'wire', bodyCtx.where, `${http(n)} now requires a request body (${typeToString(newBody)}): clients sending none are rejected`, loc(bodyCtx.newAt, undefined));
    } else if (oldBody && !newBody) {
      this.emit('body-removed', 'source', bodyCtx.where, `the request body of ${q(n.name)} was removed: handler code reading it no longer compiles`, loc(n.at, undefined));
    }

    const newResponses = new Map(n.responses.map((r) => [r.status, r]));
    const oldStatuses = new Set(o.responses.map((r) => r.status));
    for (const r of o.responses) {
      const nr = newResponses.get(r.status);
      const rwhere = `${where}.responses.${r.status}`;
      if (!nr) {
        const success = r.status >= 200 && r.status < 300;
        this.emit(
          'response-removed',
          success ? 'wire' : 'info',
          rwhere,
          success
            ? `response ${r.status} of ${q(n.name)} was removed: clients expecting ${r.status} see another status`
            : `response ${r.status} of ${q(n.name)} is no longer declared`,
          loc(n.at, undefined),
        );
        continue;
      }
      this.compare(r.type, nr.type, { ...base, dir: 'write', where: rwhere, site: `response ${r.status} of ${opName}`, oldAt: r.at, newAt: nr.at });
    }
    for (const nr of n.responses) {
      if (!oldStatuses.has(nr.status)) {
        this.emit('response-added', 'info', `${where}.responses.${nr.status}`, `response ${nr.status} (${typeToString(nr.type)}) of ${q(n.name)} was added`, loc(nr.at, undefined));
      }
    }
  }

  // ---- types ------------------------------------------------------------------------------

  private compare(a: TypeRef, b: TypeRef, ctx: Ctx): void {
    const ra = resolve(this.a, ctx.oldService, a);
    const rb = resolve(this.b, ctx.newService, b);
    if (a.kind === 'ref' && b.kind === 'ref' && a.name !== b.name) {
      this.emit('type-renamed', 'source', ctx.where, `the type changed from ${q(a.name)} to ${q(b.name)}: generated type names change`, loc(ctx.newAt, ctx.oldAt), ctx.use);
    }
    // Entering a named schema: report inside it once, at the schema, listing the uses.
    if (rb.schema && (ra.schema || a.kind === 'ref')) {
      const key = `${ra.schema ? schemaWhere(ra.schema) : '?'}→${schemaWhere(rb.schema)}`;
      if (ctx.seen.has(key)) return;
      const seen = new Set(ctx.seen).add(key);
      ctx = {
        ...ctx,
        seen,
        where: rb.where!,
        use: ctx.site,
        newAt: rb.schema.at,
        oldAt: ra.schema?.at ?? ctx.oldAt,
        // Inside a shared schema, refs resolve among shared schemas.
        oldService: ra.schema?.owner === 'shared' ? undefined : ctx.oldService,
        newService: rb.schema.owner === 'shared' ? undefined : ctx.newService,
      };
    }
    this.compareResolved(ra.type, rb.type, ctx);
  }

  private compareResolved(a: TypeRef, b: TypeRef, ctx: Ctx): void {
    const at = loc(ctx.newAt, ctx.oldAt);
    const readers = ctx.dir === 'read' ? 'the service' : 'clients and subscribers';
    if (a.kind === 'empty' || b.kind === 'empty') {
      if (a.kind === b.kind) return;
      if (b.kind === 'empty') {
        this.emit('type-changed', ctx.dir === 'write' ? 'wire' : 'source', ctx.where, `the response no longer has a body (was ${typeToString(a)}): clients reading it break`, at, ctx.use);
      } else {
        this.emit('type-changed', 'info', ctx.where, `the response now has a body (${typeToString(b)})`, at, ctx.use);
      }
      return;
    }
    if (a.kind === 'object' && b.kind === 'object') return this.fields(a.fields, b.fields, ctx);
    if (a.kind === 'array' && b.kind === 'array') return this.compare(a.items, b.items, { ...ctx, where: `${ctx.where}[]` });
    if (a.kind === 'enum' && b.kind === 'enum') return this.enums(a.values, b.values, ctx);
    if (isScalar(a) && isScalar(b)) {
      const rel = scalarRelation(a, b);
      if (rel === 'same') return;
      const change = `type changed from ${typeToString(a)} to ${typeToString(b)}`;
      if (rel === 'changed') {
        this.emit('type-changed', 'wire', ctx.where, `${change}: ${readers} cannot read the other's values`, at, ctx.use);
        return;
      }
      const tsChanged = tsKind(a) !== tsKind(b);
      const breaksWire = (rel === 'narrower') === (ctx.dir === 'read');
      const kind = rel === 'narrower' ? 'type-narrowed' : 'type-widened';
      if (breaksWire) {
        const why = ctx.dir === 'read' ? 'values old clients send may now be rejected' : 'old clients and subscribers may receive values they do not expect';
        this.emit(kind, 'wire', ctx.where, `${change}: ${why}`, at, ctx.use);
      } else if (tsChanged) {
        const why = ctx.dir === 'read' ? 'handlers now receive a wider type' : 'handlers and publishers must now produce the narrower type';
        this.emit(kind, 'source', ctx.where, `${change}: safe on the wire, but ${why}`, at, ctx.use);
      } else {
        this.emit(kind, 'info', ctx.where, `${change} (safe)`, at, ctx.use);
      }
      return;
    }
    this.emit('type-changed', 'wire', ctx.where, `type changed from ${typeToString(a)} to ${typeToString(b)}: ${readers} cannot read the other's values`, at, ctx.use);
  }

  private enums(a: readonly string[], b: readonly string[], ctx: Ctx): void {
    const at = loc(ctx.newAt, ctx.oldAt);
    const removed = a.filter((v) => !b.includes(v));
    const added = b.filter((v) => !a.includes(v));
    if (removed.length > 0) {
      if (ctx.dir === 'read') this.emit('enum-value-removed', 'wire', ctx.where, `no longer accepts ${list(removed)}: clients sending it are rejected`, at, ctx.use);
      else this.emit('enum-value-removed', 'source', ctx.where, `enum value ${list(removed)} removed: safe on the wire, but code producing it no longer compiles`, at, ctx.use);
    }
    if (added.length > 0) {
      if (ctx.dir === 'write') this.emit('enum-value-added', 'wire', ctx.where, `may now be ${list(added)}: old clients and subscribers do not expect it`, at, ctx.use);
      else this.emit('enum-value-added', 'info', ctx.where, `now also accepts ${list(added)}`, at, ctx.use);
    }
  }

  private fields(a: readonly Field[], b: readonly Field[], ctx: Ctx): void {
    const news = byName(b);
    const olds = byName(a);
    const read = ctx.dir === 'read';
    for (const f of a) {
      const where = `${ctx.where}.${f.name}`;
      const nf = news.get(f.name);
      if (!nf) {
        const at = loc(undefined, f.at);
        if (read) this.emit('field-removed', 'source', where, `field ${q(f.name)} was removed from the input: old clients may still send it (ignored), handler code reading it no longer compiles`, at, ctx.use);
        else if (f.optional) this.emit('field-removed', 'source', where, `optional field ${q(f.name)} was removed: readers already handle its absence, code producing it no longer compiles`, at, ctx.use);
        else this.emit('field-removed', 'wire', where, `field ${q(f.name)} was removed: clients and subscribers that read it break`, at, ctx.use);
        continue;
      }
      const at = loc(nf.at, f.at);
      if (f.optional && !nf.optional) {
        if (read) this.emit('field-made-required', 'wire', where, `field ${q(f.name)} is now required: old clients that omit it are rejected`, at, ctx.use);
        else this.emit('field-made-required', 'source', where, `field ${q(f.name)} is now always present: safe on the wire, but handlers and publishers must now set it`, at, ctx.use);
      } else if (!f.optional && nf.optional) {
        if (read) this.emit('field-made-optional', 'source', where, `field ${q(f.name)} is now optional: safe on the wire, but handlers must now handle its absence`, at, ctx.use);
        else this.emit('field-made-optional', 'wire', where, `field ${q(f.name)} is now optional: clients and subscribers that expect it break when it is missing`, at, ctx.use);
      }
      this.compare(f.type, nf.type, { ...ctx, where, oldAt: f.at, newAt: nf.at });
    }
    for (const nf of b) {
      if (olds.has(nf.name)) continue;
      const where = `${ctx.where}.${nf.name}`;
      const at = loc(nf.at, undefined);
      if (nf.optional) this.emit('field-added', 'info', where, `optional field ${q(nf.name)} was added`, at, ctx.use);
      else if (read) this.emit('required-field-added', 'wire', where, `new required field ${q(nf.name)}: old clients do not send it and are rejected`, at, ctx.use);
      else this.emit('field-added', 'source', where, `required field ${q(nf.name)} was added: safe on the wire, but handlers and publishers must now set it`, at, ctx.use);
    }
  }

  // ---- events -----------------------------------------------------------------------------

  private subscribers(model: SystemModel, event: string): string[] {
    return model.services.filter((s) => s.subscribes.some((sub) => sub.matches.includes(event) || eventMatches(sub.event, event))).map((s) => s.name);
  }

  private publishers(model: SystemModel, event: string): string[] {
    return model.services.filter((s) => s.publishes.some((p) => p.event === event)).map((s) => s.name);
  }

  private events(): void {
    const news = byName(this.b.events);
    for (const e of this.a.events) {
      const where = `events.${e.name}`;
      const n = news.get(e.name);
      if (!n) {
        const subs = this.subscribers(this.a, e.name);
        this.emit('event-removed', 'wire', where, `event ${q(e.name)} was removed${subs.length ? `: ${list(subs)} subscribed to it` : ''}`, loc(undefined, e.at));
        continue;
      }
      this.eventPayload(e, n);
      const subs = this.subscribers(this.b, n.name);
      if (this.publishers(this.a, e.name).length > 0 && this.publishers(this.b, n.name).length === 0 && subs.length > 0) {
        this.emit(
          'event-unpublished',
          'wire',
          where,
          `no service publishes ${q(n.name)} any more, but ${list(subs)} still subscribe${subs.length === 1 ? 's' : ''} to it`,
          loc(n.at, undefined),
        );
      }
    }
    const olds = byName(this.a.events);
    for (const n of this.b.events) {
      if (!olds.has(n.name)) this.emit('event-added', 'info', `events.${n.name}`, `event ${q(n.name)} was added`, loc(n.at, undefined));
    }
  }

  private eventPayload(e: EventDef, n: EventDef): void {
    const collected: Pending[] = [];
    const outer = this.sink;
    this.sink = collected;
    this.fields(e.payload, n.payload, {
      dir: 'write',
      where: `events.${n.name}.payload`,
      site: `payload of ${n.name}`,
      oldAt: [...e.at, 'payload'],
      newAt: [...n.at, 'payload'],
      seen: new Set(),
    });
    this.sink = outer;
    outer?.push(...collected);
    // Adding optional fields is compatible and needs no new version; anything else does.
    const changed = collected.some((p) => p.severity !== 'info');
    const where = `events.${n.name}`;
    if (changed && n.version <= e.version) {
      this.emit(
        'event-version-not-bumped',
        'wire',
        where,
        `the payload of ${q(n.name)} changed but its version stayed ${n.version}: bump \`version\` so subscribers can tell old messages from new ones`,
        loc([...n.at, 'version'], undefined),
      );
    } else if (n.version !== e.version) {
      this.emit('event-version-bumped', 'info', where, `event ${q(n.name)} is now version ${n.version} (was ${e.version})`, loc([...n.at, 'version'], undefined));
    }
  }

  // ---- gateway and sagas ------------------------------------------------------------------

  private routes(): void {
    const news = this.b.gateway.routes;
    const matched = new Set<Route>();
    for (const r of this.a.gateway.routes) {
      const where = `gateway.routes[${JSON.stringify(r.path)}]`;
      const candidates = news.filter((x) => x.path === r.path && !matched.has(x));
      const n = candidates.find((x) => sameMethods(x.methods, r.methods)) ?? candidates[0];
      if (!n) {
        this.emit('route-removed', 'wire', where, `gateway route ${r.path} was removed: requests to it get 404 at the gateway`, loc(undefined, r.at));
        continue;
      }
      matched.add(n);
      const at = loc(n.at, undefined);
      const lost = r.methods.length === 0 ? (n.methods.length === 0 ? [] : ['methods other than ' + n.methods.join(', ')]) : r.methods.filter((m) => n.methods.length > 0 && !n.methods.includes(m));
      if (lost.length > 0) this.emit('route-changed', 'wire', where, `gateway route ${r.path} no longer accepts ${lost.join(', ')}`, at);
      if (r.auth === 'none' && n.auth === 'jwt') this.emit('route-changed', 'wire', where, `gateway route ${r.path} now requires a JWT: anonymous clients get 401`, at);
      if (r.auth === 'jwt' && n.auth === 'none') this.emit('route-changed', 'info', where, `gateway route ${r.path} no longer requires a JWT`, at);
      const target = (x: Route) => (x.service !== undefined ? `service ${x.service} ${upstreamPrefix(x)}` : `${x.upstream} ${upstreamPrefix(x)}`);
      if (target(r) !== target(n)) {
        this.emit('route-changed', 'wire', where, `gateway route ${r.path} now forwards to ${target(n)} (was ${target(r)}): the operations it reaches change`, at);
      }
    }
    for (const n of news) {
      if (!matched.has(n)) this.emit('route-added', 'info', `gateway.routes[${JSON.stringify(n.path)}]`, `gateway route ${n.path} was added (to ${routeTarget(n)})`, loc(n.at, undefined));
    }
  }

  private sagas(): void {
    const news = byName(this.b.sagas);
    const olds = byName(this.a.sagas);
    for (const s of this.a.sagas) {
      if (!news.has(s.name)) {
        this.emit('saga-removed', 'source', `sagas.${s.name}`, `saga ${q(s.name)} was removed: its generated code goes, and its step handlers are orphaned`, loc(undefined, s.at));
      }
    }
    for (const n of this.b.sagas) {
      if (!olds.has(n.name)) this.emit('saga-added', 'info', `sagas.${n.name}`, `saga ${q(n.name)} (${n.style}) was added`, loc(n.at, undefined));
    }
  }
}

function sameMethods(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((m) => b.includes(m));
}

/** The changes from `oldModel` to `newModel`, wire first, then by where. */
export function diffModels(oldModel: SystemModel, newModel: SystemModel): RawChange[] {
  return new Differ(oldModel, newModel).run();
}
