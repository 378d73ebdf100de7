/**
 * Every YAML file microgen writes (each service's openapi.yaml, `microgen export`) is written
 * here, by the `yaml` library that also reads the spec: block style as people write it, no
 * anchors for objects that repeat, long lines kept whole, no directives (none is ever needed; looking
 * for a tag that would need one walks the whole document again).
 */
import { stringify } from 'yaml';

/** YAML text of a JSON value, ending with a newline. */
export function toYaml(value: unknown): string {
  return stringify(value, { aliasDuplicateObjects: false, lineWidth: 0, directives: false });
}
