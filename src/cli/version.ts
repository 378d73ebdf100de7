import { readFileSync } from 'node:fs';
import { ownPath } from '../util/own-files.js';

export const VERSION: string = (JSON.parse(readFileSync(ownPath('package.json'), 'utf8')) as { version: string }).version;
