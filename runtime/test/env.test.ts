import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDotEnv, parseDotEnv, serviceUrlVariable, settingOf } from '../src/index.js';

describe('.env', () => {
  it('reads KEY=value lines as shells write them', () => {
    const text = ['# comment', 'A=1', 'export B = two words ', "C='single # not a comment'", 'D="line\\nbreak"', 'E=x # trailing comment', 'not a line', ''].join('\n');
    expect(parseDotEnv(text)).toEqual({ A: '1', B: 'two words', C: 'single # not a comment', D: 'line\nbreak', E: 'x' });
  });

  it('is found above the working directory and never overrides what is set', () => {
    const root = mkdtempSync(join(tmpdir(), 'dotenv-'));
    mkdirSync(join(root, 'services', 'user'), { recursive: true });
    writeFileSync(join(root, '.env'), 'LOG_LEVEL=debug\nDATABASE_URL=postgres://from-file\n');
    const env: NodeJS.ProcessEnv = { LOG_LEVEL: 'warn' };
    expect(loadDotEnv(join(root, 'services', 'user'), env)).toBe(join(root, '.env'));
    expect(env).toEqual({ LOG_LEVEL: 'warn', DATABASE_URL: 'postgres://from-file' });
  });
});

describe('settings', () => {
  it('prefer NAME, fall back to <SERVICE>_NAME, and read only the prefixed form in a shared process', () => {
    const env = { ORDER_HISTORY_DATABASE_URL: 'own', ORDER_HISTORY_LOG: 'prefixed', DATABASE_URL: 'plain', PORT: '9000' };
    const alone = settingOf('order-history', env, false);
    expect([alone('DATABASE_URL'), alone('LOG'), alone('PORT'), alone('MISSING')]).toEqual(['plain', 'prefixed', '9000', undefined]);
    const shared = settingOf('order-history', env, true);
    expect([shared('DATABASE_URL'), shared('PORT')]).toEqual(['own', undefined]);
    expect(serviceUrlVariable('order-history')).toBe('ORDER_HISTORY_SERVICE_URL');
  });
});
