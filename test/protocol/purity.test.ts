// src/protocol must run in a browser and in Node alike: no node:* imports, no DOM, no Node globals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';

const dir = new URL('../../src/protocol/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));

/** Source without comments and string/template contents, so words in messages don't count. */
function code(source: string): string {
  return source
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/(^|[^:\\])\/\/.*$/gm, '$1')
    .replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g, '""');
}

test('src/protocol has the expected modules', () => {
  for (const f of ['index.ts', 'errors.ts', 'hash.ts', 'money.ts', 'schemas.ts', 'signature.ts', 'payment.ts', 'verify.ts', 'opstate.ts', 'contract.ts']) {
    assert.ok(files.includes(f), f);
  }
});

for (const file of files) {
  test(`${file}: imports only relative modules and zod, uses no DOM or Node globals`, () => {
    const source = readFileSync(new URL(file, dir), 'utf8');
    const specifiers = [...source.matchAll(/(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g)]
      .map((m) => m[1] ?? m[2] ?? m[3] ?? '');
    for (const s of specifiers) {
      assert.ok(s.startsWith('./') || s === 'zod/mini' || s === 'zod', `${file} imports ${s}`);
      assert.ok(!s.startsWith('node:'), `${file} imports ${s}`);
    }
    const body = code(source);
    for (const word of ['window', 'document', 'navigator', 'localStorage', 'DOMParser', 'process', 'Buffer', 'require', '__dirname', 'global']) {
      assert.doesNotMatch(body, new RegExp(`\\b${word}\\b`), `${file} uses ${word}`);
    }
  });
}
