// The JSX typings and the React wrapper's props, proven with the compiler: correct usage compiles,
// and each `@ts-expect-error` in the fixtures (a wrong attribute type, a handler reading a detail field
// its event lacks) is a real error, since tsc fails on an unused one. TypeScript 7 has no JS API, so
// this spawns the tsc binary.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsc = join(root, 'node_modules/.bin/tsc');

function compile(project: string): { status: number | null; output: string } {
  const res = spawnSync(tsc, ['-p', project, '--pretty', 'false'], { cwd: root, encoding: 'utf8' });
  return { status: res.status, output: `${res.stdout}${res.stderr}` };
}

describe('typings', () => {
  for (const project of ['test/react/types/tsconfig.json', 'test/react/types/tsconfig.preact.json', 'test/frameworks/tsconfig.json']) {
    it(`${project}: correct usage compiles, and every @ts-expect-error is a real error`, () => {
      const { status, output } = compile(project);
      assert.equal(status, 0, output);
    });
  }

  it('a wrong prop type is reported (the fixtures are really checked)', () => {
    // the React fixture with one @ts-expect-error removed must fail at that line; the copy sits next
    // to the fixtures because tsc resolves `extends` and `paths` relative to the config
    const dir = mkdtempSync(join(root, 'test/react/types/.tmp-'));
    try {
      const source = readFileSync(join(root, 'test/react/types/react.tsx'), 'utf8');
      const marker = "{/* @ts-expect-error mode is 'auto' | 'popup' | 'redirect' */}\n";
      assert.ok(source.includes(marker), 'fixture marker moved');
      writeFileSync(join(dir, 'react.tsx'), source.replace(marker, ''));
      const config = JSON.parse(readFileSync(join(root, 'test/react/types/tsconfig.json'), 'utf8')) as { extends: string; compilerOptions: { paths: Record<string, string[]> } };
      const up = (p: string): string => `../${p}`;
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
        ...config,
        extends: up(config.extends),
        compilerOptions: { ...config.compilerOptions, paths: Object.fromEntries(Object.entries(config.compilerOptions.paths).map(([k, v]) => [k, v.map(up)])) },
        include: ['react.tsx'],
      }));
      const { status, output } = compile(join(dir, 'tsconfig.json'));
      assert.notEqual(status, 0);
      assert.match(output, /react\.tsx\(\d+,\d+\): error TS2322: Type '"window"' is not assignable to type '"auto" \| "popup" \| "redirect"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
