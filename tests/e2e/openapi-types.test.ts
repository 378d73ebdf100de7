/**
 * The TypeScript types microgen writes itself (src/render/ts-types.ts) against what
 * openapi-typescript derives from the generated openapi.yaml: for every operation of the shop,
 * path parameters, query, request body and each declared response body must be mutually
 * assignable, checked with the TypeScript compiler. The clients' copies of a callee's types are
 * held to the callee's own types the same way. A control file shows the check can fail.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { lintText } from '../../src/lint.js';
import { operationTypeName } from '../../src/plan/generators/contracts.js';
import type { Operation, SystemModel } from '../../src/model/types.js';
import { ROOT, generateSystem } from '../helpers/system.js';

const SHOP = 'examples/shop/microgen.yaml';

const PRELUDE = `type Mutual<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Json<R> = R extends { content: { 'application/json': infer B } } ? B : never;
`;

/**
 * `Mutual<ours, theirs> = true` lines for one operation: `request`/`reply` name our types,
 * `pathsType` openapi-typescript's `paths`, `label` prefixes the constants.
 */
function operationChecks(op: Operation, label: string, request: string, reply: string, pathsType: string): string[] {
  const at = `${pathsType}[${JSON.stringify(op.path)}][${JSON.stringify(op.method.toLowerCase())}]`;
  const lines: string[] = [];
  const check = (what: string, ours: string, theirs: string) => lines.push(`export const ${label}_${what}: Mutual<${ours}, ${theirs}> = true;`);
  if (op.params.length > 0) check('params', `${request}['params']`, `${at}['parameters']['path']`);
  if (op.query.length > 0) check('query', `NonNullable<${request}['query']>`, `NonNullable<${at}['parameters']['query']>`);
  if (op.body && op.body.kind !== 'empty') check('body', `${request}['body']`, `NonNullable<${at}['requestBody']>['content']['application/json']`);
  for (const r of op.responses) {
    const variant = `Extract<${reply}, { status: ${r.status} }>`;
    if (r.type.kind === 'empty') lines.push(`export const ${label}_${r.status}_empty: Mutual<'body' extends keyof ${variant} ? true : false, false> = true;`);
    else check(String(r.status), `${variant}['body']`, `Json<${at}['responses'][${r.status}]>`);
  }
  return lines;
}

function typecheck(dir: string, files: string[]): string[] {
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: ['node'],
    typeRoots: [join(dir, 'node_modules', '@types')],
  });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file ? `${d.file.fileName.slice(dir.length + 1)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : '';
    return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

describe.each([SHOP, 'tests/e2e/fixtures/runtime.yaml'])('generated TypeScript types = openapi-typescript on the generated openapi.yaml (%s)', (SPEC) => {
  let dir: string;
  let model: SystemModel;
  const checkFiles: string[] = [];

  beforeAll(async () => {
    dir = await generateSystem(SPEC, 'openapi-types');
    model = lintText(SPEC, readFileSync(join(ROOT, SPEC), 'utf8')).model!;
    mkdirSync(join(dir, 'checks'), { recursive: true });
    for (const service of model.services) {
      const yamlText = readFileSync(join(dir, 'services', service.name, 'openapi.yaml'), 'utf8');
      const ast = await openapiTS(yamlText);
      writeFileSync(join(dir, 'checks', `${service.name}.openapi.ts`), astToString(ast));
      const lines = [
        `import type { paths } from './${service.name}.openapi.js';`,
        `import type * as Op from '../services/${service.name}/src/generated/operations.js';`,
        PRELUDE,
        ...service.operations.flatMap((op) => operationChecks(op, op.name, `Op.${operationTypeName(op)}Request`, `Op.${operationTypeName(op)}Reply`, 'paths')),
      ];
      // A caller's client types (its calls and its sagas' steps) against the callee's handler types and its OpenAPI document.
      for (const call of service.clients) {
        const callee = model.services.find((s) => s.name === call.service)!;
        const id = callee.name.replace(/\W/g, '_');
        lines.splice(2, 0, `import type * as C_${id} from '../services/${service.name}/src/generated/clients/${callee.name}.js';`);
        lines.splice(2, 0, `import type * as H_${id} from '../services/${callee.name}/src/generated/operations.js';`);
        lines.splice(2, 0, `import type { paths as P_${id} } from './${callee.name}.openapi.js';`);
        for (const opName of call.operations) {
          const op = callee.operations.find((o) => o.name === opName)!;
          const t = operationTypeName(op);
          lines.push(`export const client_${id}_${op.name}_reply: Mutual<C_${id}.${t}Reply, H_${id}.${t}Reply> = true;`);
          if (op.params.length > 0) lines.push(`export const client_${id}_${op.name}_handler_params: Mutual<C_${id}.${t}Call['params'], H_${id}.${t}Request['params']> = true;`);
          lines.push(...operationChecks(op, `client_${id}_${op.name}`, `C_${id}.${t}Call`, `C_${id}.${t}Reply`, `P_${id}`));
        }
      }
      const file = join(dir, 'checks', `${service.name}.check.ts`);
      writeFileSync(file, lines.join('\n') + '\n');
      checkFiles.push(file);
    }
  }, 600_000);

  it('checks something for every operation', () => {
    const text = checkFiles.map((f) => readFileSync(f, 'utf8')).join('\n');
    for (const s of model.services) for (const op of s.operations) expect(text, `${s.name}.${op.name}`).toMatch(new RegExp(`export const ${op.name}_`));
    for (const s of model.services) for (const c of s.clients) for (const op of c.operations) expect(text).toMatch(new RegExp(`client_${c.service.replace(/\W/g, '_')}_${op}_reply`));
  });

  it('finds every pair mutually assignable', () => {
    expect(typecheck(dir, checkFiles)).toEqual([]);
  }, 120_000);

  it.runIf(SPEC === SHOP)('would notice a difference (control)', () => {
    const control = join(dir, 'checks', 'control.check.ts');
    writeFileSync(
      control,
      [
        `import type { paths } from './user.openapi.js';`,
        `import type * as Op from '../services/user/src/generated/operations.js';`,
        PRELUDE,
        // NewUser (the body) is not User (the 201 reply): it lacks `id`.
        `export const wrong: Mutual<Op.CreateUserRequest['body'], Json<paths['/users']['post']['responses'][201]>> = true;`,
      ].join('\n'),
    );
    const errors = typecheck(dir, [control]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/control\.check\.ts:\d+ Type 'true' is not assignable to type 'false'/);
  }, 120_000);
});
