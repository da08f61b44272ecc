// What `npm publish` would ship for the typings and the manifest: every export's files exist after
// `npm run build`, npm packs them, and the React entry leaves React to the app. Skipped when dist/
// has not been built (npm test builds before the node stage).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './api-tables.js';

const built = existsSync(join(root, 'dist/npm/react.js')) && existsSync(join(root, 'dist/custom-elements.json'));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  customElements: string;
  exports: Record<string, string | Record<string, string>>;
};

describe('package: manifest, typings and the React entry', { skip: built ? false : 'dist/ not built' }, () => {
  const targets = Object.keys(pkg.exports).flatMap((k) => {
    const t = pkg.exports[k];
    assert.ok(t, `package.json exports has no "${k}"`);
    return typeof t === 'string' ? [t] : Object.values(t);
  });

  it('every export, its typings and the manifest point at a built file', () => {
    const missing = targets.filter((t) => !existsSync(join(root, t)));
    assert.deepEqual(missing, []);
  });

  it('npm pack ships the manifest, the React entry and the JSX typings', () => {
    const [report] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' })) as [{ files: { path: string }[] }];
    const packed = new Set(report.files.map((f) => f.path));
    const wanted = [pkg.customElements, ...targets.filter((t) => /react|jsx|custom-elements/.test(t))].map((t) => t.replace(/^\.\//, ''));
    assert.deepEqual(wanted.filter((t) => !packed.has(t)), []);
  });

  it('custom-elements.json names the element', () => {
    const manifest = JSON.parse(readFileSync(join(root, pkg.customElements), 'utf8')) as { modules: { declarations: { tagName?: string }[] }[] };
    assert.deepEqual(manifest.modules.flatMap((m) => m.declarations).map((d) => d.tagName).filter(Boolean), ['robokassa-checkout']);
  });

  it('the shipped declarations type the JSX fixtures as the sources do (imports resolved through package.json exports)', () => {
    // next to the fixtures, so `extends` resolves; without "paths", robokassa-checkout/* is the package itself
    const dir = mkdtempSync(join(root, 'test/react/types/.tmp-dist-'));
    try {
      for (const [fixture, extra] of [['react.tsx', {}], ['preact.tsx', { jsxImportSource: 'preact' }]] as const) {
        copyFileSync(join(root, 'test/react/types', fixture), join(dir, fixture));
        const config = join(dir, `${fixture}.tsconfig.json`);
        writeFileSync(config, JSON.stringify({ extends: '../../../../tsconfig.json', compilerOptions: { jsx: 'react-jsx', types: [], ...extra }, include: [fixture] }));
        const res = spawnSync(join(root, 'node_modules/.bin/tsc'), ['-p', config, '--pretty', 'false'], { cwd: root, encoding: 'utf8' });
        assert.equal(res.status, 0, `${fixture} against dist/types:\n${res.stdout}${res.stderr}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a Node shop typed against robokassa-checkout/server and /protocol compiles through the package exports', () => {
    const dir = mkdtempSync(join(root, 'test/docs/.tmp-server-types-'));
    try {
      writeFileSync(join(dir, 'shop.ts'), [
        "import { createApp, openStore, parseConfig, type ServerConfig } from 'robokassa-checkout/server';",
        "import { verifyResultUrl } from 'robokassa-checkout/protocol';",
        'const config: ServerConfig = parseConfig(process.env);',
        'const store = await openStore(config);',
        'export const app = createApp(config, { store });',
        'export const verify: typeof verifyResultUrl = verifyResultUrl;',
        '',
      ].join('\n'));
      const config = join(dir, 'tsconfig.json');
      writeFileSync(config, JSON.stringify({
        compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, types: ['node'], skipLibCheck: true },
        include: ['shop.ts'],
      }));
      const res = spawnSync(join(root, 'node_modules/.bin/tsc'), ['-p', config, '--pretty', 'false'], { cwd: root, encoding: 'utf8' });
      assert.equal(res.status, 0, `shop.ts against dist/types:\n${res.stdout}${res.stderr}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('dist/npm/react.js imports React and @lit/react instead of bundling them', () => {
    const code = readFileSync(join(root, 'dist/npm/react.js'), 'utf8');
    assert.match(code, /from "react"/);
    assert.match(code, /from "@lit\/react"/);
    assert.ok(statSync(join(root, 'dist/npm/react.js')).size < 2048, 'dist/npm/react.js grew past 2 KB: is React bundled into it?');
  });
});
