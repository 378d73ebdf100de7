/**
 * The `yaml` library, loaded on first use. A clean spec is read by the fast path and never
 * needs the Document API, so `lint` and `generate` skip its ~40 ms of module loading.
 */
import { createRequire } from 'node:module';

type YamlModule = typeof import('yaml');
const require = createRequire(import.meta.url);
let lib: YamlModule | undefined;

export function yamlLib(): YamlModule {
  lib ??= require('yaml') as YamlModule;
  return lib;
}
