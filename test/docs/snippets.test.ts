// Every code block of the README's Frameworks section is a named snippet that a browser test runs
// (test/react, test/frameworks), so no printed example goes untested.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './api-tables.js';
// @ts-expect-error a plain ES module of the test runner's config, without declarations
import { readmeSnippets } from '../frameworks/snippets-plugin.mjs';

/** Snippet name -> the browser test that runs it. */
const RUN_BY: Record<string, string> = {
  'Pay.tsx': 'test/react/react.test.ts',
  'PayWrapped.tsx': 'test/react/react.test.ts',
  'Pay.preact.tsx': 'test/react/preact.test.ts',
  'vite.config.js': 'test/frameworks/vue.test.ts',
  'Pay.vue': 'test/frameworks/vue.test.ts',
  'Pay.svelte': 'test/frameworks/svelte.test.ts',
  'pay.component.ts': 'test/frameworks/angular.test.ts',
};

describe('README Frameworks snippets', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = /\n## Frameworks\n([\s\S]*?)\n## /.exec(readme)?.[1];

  it('every fenced block in the section is a named snippet', () => {
    assert.ok(section, 'README.md has no "## Frameworks" section');
    const blocks = section.match(/^```\w+$/gm) ?? [];
    const named = section.match(/^<!-- snippet: \S+ -->\n```\w+$/gm) ?? [];
    assert.equal(named.length, blocks.length, 'a code block without a "<!-- snippet: NAME -->" line above it is not tested');
  });

  it('every snippet is run by a browser test, and every test has its snippet', () => {
    const names = [...(readmeSnippets() as Map<string, unknown>).keys()].sort();
    assert.deepEqual(names, Object.keys(RUN_BY).sort());
    for (const [name, file] of Object.entries(RUN_BY)) {
      const test = readFileSync(join(root, file), 'utf8');
      // vite.config.js is built together with Pay.vue
      const used = name === 'vite.config.js' ? "'Pay.vue'" : `'${name}'`;
      assert.ok(test.includes(used), `${file} does not load ${name}`);
    }
  });
});
