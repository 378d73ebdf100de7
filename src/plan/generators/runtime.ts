/**
 * packages/runtime: microgen's runtime library, copied from its build into every system as one
 * generator-owned workspace package, stamped with microgen's version. Services depend on it
 * through the workspace, so a system installs and builds offline, and a newer microgen updates
 * it on the next `generate`.
 */
import type { GenerateContext } from '../context.js';
import { jsonFile } from '../header.js';
import type { PlannedFile } from '../tree.js';
import { HEADER_TEXT } from '../tree.js';
import { RUNTIME_PACKAGE_DIR } from '../workspaces.js';


/** The parts of runtime/package.json a system needs: what it is, what it exports and depends on. */
const KEPT = ['name', 'description', 'type', 'license', 'exports', 'engines', 'dependencies', 'peerDependencies', 'peerDependenciesMeta'];

export function runtimeFiles(ctx: GenerateContext): PlannedFile[] {
  const { manifest, files } = ctx.runtime;
  const packageJson: Record<string, unknown> = { '//': `${HEADER_TEXT}: microgen's runtime library, copied by microgen ${ctx.version}.` };
  for (const key of KEPT) {
    if (manifest[key] !== undefined) packageJson[key] = manifest[key];
    if (key === 'name') packageJson.version = ctx.version;
  }
  const header = `// ${HEADER_TEXT}: @microgen/runtime ${ctx.version}, copied by microgen.\n`;
  return [
    { path: `${RUNTIME_PACKAGE_DIR}/package.json`, owner: 'generated', key: 'runtime:package-json', content: jsonFile(packageJson) },
    ...files.map((f): PlannedFile => ({ path: `${RUNTIME_PACKAGE_DIR}/${f.path}`, owner: 'generated', key: `runtime:${f.path}`, content: header + f.content })),
  ];
}
