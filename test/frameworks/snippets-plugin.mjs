// A web-test-runner plugin for the framework tests:
// - serves each README snippet (`<!-- snippet: NAME -->` followed by a fenced block) as an ES module
//   at /__snippets/NAME.js, compiled the way that framework's own tooling compiles it: esbuild for
//   TSX/TS (React, Preact, Angular JIT), svelte/compiler for .svelte, and a real Vite build with the
//   README's vite.config.js (@vitejs/plugin-vue) for Pay.vue;
// - serves React and ReactDOM, which ship only CommonJS, as ES modules (one esbuild bundle, so both
//   share one React);
// - resolves `robokassa-checkout` and `robokassa-checkout/react` to src/, as package.json exports
//   resolve them to dist/ for a reader, and Svelte to its browser build.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as esbuild, transform } from 'esbuild';

const root = fileURLToPath(new URL('../..', import.meta.url));

const PACKAGE = {
  'robokassa-checkout': '/src/checkout/index.ts',
  'robokassa-checkout/react': '/src/react/index.ts',
};
// CommonJS packages served as ES modules: bare name -> the export of the shared bundle
const CJS = { react: 'React', 'react-dom': 'ReactDOM', 'react-dom/client': 'ReactDOMClient', 'react/jsx-runtime': 'JSXRuntime' };

/** The README's snippets by name, exactly as printed. */
export function readmeSnippets() {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const found = new Map();
  for (const m of readme.matchAll(/<!-- snippet: (\S+) -->\n```(\w+)\n([\s\S]*?)\n```\n/g)) {
    if (found.has(m[1])) throw new Error(`README.md: two snippets named ${m[1]}`);
    found.set(m[1], { lang: m[2], code: m[3] });
  }
  return found;
}

function snippet(name) {
  const s = readmeSnippets().get(name);
  if (!s) throw new Error(`README.md: no snippet named ${name} (a line "<!-- snippet: ${name} -->" right above a fenced block)`);
  return s.code;
}

let cjsBundle;
function reactBundle() {
  cjsBundle ??= esbuild({
    stdin: { contents: Object.entries(CJS).map(([pkg, name]) => `export * as ${name} from '${pkg}';`).join('\n'), resolveDir: root },
    bundle: true,
    format: 'esm',
    write: false,
    target: 'es2022',
    define: { 'process.env.NODE_ENV': '"development"' },
    logLevel: 'silent',
  }).then((r) => r.outputFiles[0].text);
  return cjsBundle;
}

/**
 * A module re-exporting one CommonJS package from the bundle, with its named exports spelled out.
 * The names come from a child process: React's development build patches console when it loads,
 * which breaks the test runner's own console in this process.
 */
function cjsShim(pkg) {
  const listed = execFileSync(process.execPath, ['-e', `console.log(JSON.stringify(Object.keys(require(${JSON.stringify(pkg)}))))`], { cwd: root, encoding: 'utf8' });
  const names = JSON.parse(listed).filter((k) => /^[A-Za-z_$][\w$]*$/.test(k) && k !== 'default');
  return `import { ${CJS[pkg]} as m } from '/__cjs/bundle.js';\nexport default m.default ?? m;\nexport const { ${names.join(', ')} } = m;\n`;
}

async function vueBuild() {
  const { build } = await import('vite');
  // inside node_modules, so the config's own imports (vite, @vitejs/plugin-vue) resolve as in an app
  const cache = join(root, 'node_modules/.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'rk-snippet-vue-'));
  writeFileSync(join(dir, 'vite.config.js'), snippet('vite.config.js'));
  writeFileSync(join(dir, 'Pay.vue'), snippet('Pay.vue'));
  // the test mounts Pay with the Vue runtime bundled next to it
  writeFileSync(join(dir, 'main.js'), "export { default } from './Pay.vue';\nexport { createApp, h, ref } from 'vue';\n");
  try {
    const out = await build({
      root: dir,
      configFile: join(dir, 'vite.config.js'),
      logLevel: 'silent',
      // lib mode leaves process.env.NODE_ENV to the app's bundler; an app build replaces it like this
      define: { 'process.env.NODE_ENV': '"production"' },
      build: {
        write: false,
        minify: false,
        lib: { entry: join(dir, 'main.js'), formats: ['es'], fileName: 'pay' },
        // the test page loads the element itself; one copy of it, from src/
        rolldownOptions: { external: ['robokassa-checkout'] },
      },
    });
    const outputs = (Array.isArray(out) ? out : [out]).flatMap((o) => o.output);
    const chunk = outputs.find((o) => o.type === 'chunk' && o.isEntry);
    if (!chunk) throw new Error('vite build of Pay.vue produced no entry chunk');
    return chunk.code;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function compileSnippet(name) {
  const code = snippet(name);
  if (name === 'Pay.vue') return vueBuild();
  if (name.endsWith('.svelte')) {
    const { compile } = await import('svelte/compiler');
    return compile(code, { filename: name, generate: 'client' }).js.code;
  }
  if (name.endsWith('.tsx')) {
    const jsxImportSource = name.endsWith('.preact.tsx') ? 'preact' : 'react';
    return (await transform(code, { loader: 'tsx', jsx: 'automatic', jsxImportSource, format: 'esm', target: 'es2022', sourcefile: name })).code;
  }
  if (name.endsWith('.ts')) {
    // Angular's decorators, compiled as the Angular CLI's TypeScript does (legacy decorators)
    const tsconfigRaw = { compilerOptions: { experimentalDecorators: true, useDefineForClassFields: false } };
    return (await transform(code, { loader: 'ts', tsconfigRaw, format: 'esm', target: 'es2022', sourcefile: name })).code;
  }
  throw new Error(`no compiler for snippet ${name}`);
}

// Packages whose browser build hides behind the "browser" export condition, which the test runner's
// resolver does not use (it would give Svelte's server build)
const BROWSER_CONDITION = new Set(['svelte', 'esm-env']);
const CONDITIONS = new Set(['browser', 'development', 'import', 'default']);

function pickTarget(entry) {
  if (typeof entry === 'string') return entry;
  if (!entry || typeof entry !== 'object') return undefined;
  for (const [key, value] of Object.entries(entry)) {
    if (!CONDITIONS.has(key)) continue;
    const found = pickTarget(value);
    if (found) return found;
  }
  return undefined;
}

/** `svelte/internal/client` -> `/node_modules/svelte/src/internal/client/index.js`, by its package exports. */
function browserResolve(source) {
  const pkg = source.startsWith('@') ? source.split('/').slice(0, 2).join('/') : source.split('/')[0];
  if (!BROWSER_CONDITION.has(pkg)) return undefined;
  const { exports } = JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8'));
  const subpath = `.${source.slice(pkg.length)}`;
  const target = pickTarget(exports[subpath]);
  if (!target) throw new Error(`${pkg}: no browser export for ${subpath}`);
  return `/node_modules/${pkg}/${target.replace(/^\.\//, '')}`;
}

export function snippetsPlugin() {
  return {
    name: 'rk-readme-snippets',
    resolveImport({ source }) {
      if (source in PACKAGE) return PACKAGE[source];
      if (source in CJS) return `/__cjs/${source.replace(/\//g, '-')}.js`;
      return browserResolve(source);
    },
    async serve(context) {
      if (context.path === '/__cjs/bundle.js') return { body: await reactBundle(), type: 'js' };
      const cjs = /^\/__cjs\/(.+)\.js$/.exec(context.path);
      if (cjs) {
        const pkg = Object.keys(CJS).find((p) => p.replace(/\//g, '-') === cjs[1]);
        if (pkg) return { body: cjsShim(pkg), type: 'js' };
      }
      const m = /^\/__snippets\/(.+)\.js$/.exec(context.path);
      if (m) return { body: await compileSnippet(decodeURIComponent(m[1])), type: 'js' };
      return undefined;
    },
  };
}
