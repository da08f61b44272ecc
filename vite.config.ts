// Three builds, one config:
//   vite build              -> dist/robokassa-checkout.js (self-contained ES module that registers the element)
//                              dist/robokassa-checkout.iife.js (classic <script src>); size printed, budget enforced
//   vite build --mode npm   -> dist/npm/ (package entries for bundlers; lit and zod stay dependencies)
//   vite build --mode node  -> dist/node/cli.js, dist/node/server.js (the CLI behind `npx robokassa-checkout`, the backend)
import { defineConfig, type Plugin } from 'vite';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

/** The self-contained embed may not weigh more than this, gzip -9, all three languages included. */
export const EMBED_BUDGET_BYTES = 16 * 1024;

/**
 * Property names only the element's own code uses (its Lit state, the watch's callbacks), shortened in
 * the embed (−74 B gzip). Never list a name that a DOM API, JSON, an event detail or a page reads.
 */
const INTERNAL_PROPS = /^(phase|step|errorCode|helpOpen|helpBody|full|emailError|manualUrl|closedByBuyer|onEnd|onBack)$/;

function sizeBudget(): Plugin {
  return {
    name: 'rk-size-budget',
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue;
        const gz = gzipSync(chunk.code, { level: 9 }).length;
        const br = brotliCompressSync(chunk.code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
        const line = `${chunk.fileName}: ${chunk.code.length} B raw, ${gz} B gzip, ${br} B brotli (budget ${EMBED_BUDGET_BYTES} B gzip)`;
        this.info(line);
        console.log(`size ${line}`);
        if (gz > EMBED_BUDGET_BYTES) this.error(`${chunk.fileName} is ${gz} B gzip, over the ${EMBED_BUDGET_BYTES} B budget`);
      }
    },
  };
}

/**
 * The embed's first line asks V8 to compile every function when the file is compiled (Chromium 136+
 * "explicit compile hints"; other engines read a comment). Nearly all of the embed runs at its first
 * render, and lazily each function is parsed twice, the second time on the main thread inside that
 * render (FINDINGS, session 6: one element's import → buttons 0.77×, page main-thread CPU no higher).
 * Added after minification, which drops comments (an output banner included).
 */
export const COMPILE_HINT = '//# allFunctionsCalledOnLoad\n';

function compileHint(): Plugin {
  return {
    name: 'rk-compile-hint',
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) if (chunk.type === 'chunk') chunk.code = COMPILE_HINT + chunk.code;
    },
  };
}

export default defineConfig(({ mode }) => {
  if (mode === 'npm') {
    return {
      build: {
        target: 'es2022',
        outDir: 'dist/npm',
        emptyOutDir: true,
        lib: { entry: { index: 'src/checkout/index.ts', element: 'src/checkout/checkout.ts', protocol: 'src/protocol/index.ts', react: 'src/react/index.ts' }, formats: ['es'] },
        // react: the robokassa-checkout/react wrapper; React and @lit/react come from the app
        rolldownOptions: { external: [/^lit($|\/)/, /^zod($|\/)/, /^react($|\/)/, /^@lit\/react($|\/)/] },
      },
    };
  }
  if (mode === 'node') {
    return {
      build: {
        target: 'node20',
        outDir: 'dist/node',
        emptyOutDir: true,
        ssr: true,
        rolldownOptions: {
          input: { cli: 'src/cli.ts', server: 'src/server/index.ts' },
          output: { format: 'es', entryFileNames: '[name].js', banner: (chunk) => (chunk.name === 'cli' ? '#!/usr/bin/env node' : '') },
        },
      },
    };
  }
  return {
    // the hint first, so the size budget weighs it too
    plugins: [compileHint(), sizeBudget()],
    build: {
      target: 'es2022',
      outDir: 'dist',
      emptyOutDir: false,
      lib: {
        entry: 'src/checkout/index.ts',
        name: 'RobokassaCheckout',
        formats: ['es', 'iife'],
        fileName: (format) => (format === 'es' ? 'robokassa-checkout.js' : 'robokassa-checkout.iife.js'),
      },
      // lib mode keeps whitespace in ES output unless told otherwise; the embed is served as-is
      // annotations (/* @__PURE__ */) only help a later bundler, and nothing bundles this file again
      rolldownOptions: { output: { minify: { compress: true, mangle: true, codegen: true, mangleProps: { include: INTERNAL_PROPS } }, comments: false, generatedCode: { symbols: false } } },
    },
  };
});
