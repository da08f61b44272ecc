// Custom Elements Manifest (dist/custom-elements.json, named by package.json "customElements"),
// generated from the class JSDoc of checkout.ts by `npm run build`:
//   cem analyze --config src/checkout/custom-elements-manifest.config.mjs
// The README's API tables are written from it (test/docs/api-tables.ts) and checked against it.
const TAG = 'robokassa-checkout';

/**
 * Keeps the manifest to the public API:
 * - Every event goes through the element's typed `emit(name, …)`, so the analyzer also sees a
 *   `new CustomEvent(name)` and records an event literally called "name". Only the documented
 *   `@fires` entries (they carry a description) are events; test/docs checks they are exactly the
 *   keys of CheckoutEventMap.
 * - The analyzer also lists `let` variables inside methods as module declarations; a module's
 *   API is what it exports.
 * - It gives Lit's internal reactive state (`state: true`, private fields) an attribute; state has none.
 */
function publicApiOnly() {
  return {
    name: 'rk-public-api-only',
    packageLinkPhase({ customElementsManifest }) {
      for (const mod of customElementsManifest.modules) {
        const exported = new Set((mod.exports ?? []).map((e) => e.declaration.module === mod.path && e.declaration.name));
        mod.declarations = (mod.declarations ?? []).filter((decl) => exported.has(decl.name));
        for (const decl of mod.declarations) {
          if (decl.events) decl.events = decl.events.filter((event) => event.description);
          const hidden = new Set((decl.members ?? []).filter((m) => m.privacy === 'private' || m.privacy === 'protected').map((m) => m.name));
          if (decl.attributes) decl.attributes = decl.attributes.filter((attr) => !hidden.has(attr.fieldName));
        }
      }
    },
  };
}

/**
 * index.ts registers the class through `define(tag = TAG)`, which the analyzer cannot follow; the
 * definition export lets tools map the tag to the class.
 */
function tagDefinition() {
  return {
    name: 'rk-tag-definition',
    packageLinkPhase({ customElementsManifest }) {
      const mod = customElementsManifest.modules.find((m) => m.path === 'src/checkout/index.ts');
      if (!mod) throw new Error('custom-elements-manifest: src/checkout/index.ts was not analysed');
      mod.exports = [
        ...(mod.exports ?? []).filter((e) => e.kind !== 'custom-element-definition'),
        { kind: 'custom-element-definition', name: TAG, declaration: { name: 'RobokassaCheckout', module: 'src/checkout/checkout.ts' } },
      ];
    },
  };
}

export default {
  // the class and the registering entry only: the helpers around them (flow, client, i18n) are not the element's API
  globs: ['src/checkout/checkout.ts', 'src/checkout/index.ts'],
  outdir: 'dist',
  litelement: true,
  // package.json names the file itself; the analyzer must not rewrite it
  packagejson: false,
  plugins: [publicApiOnly(), tagDefinition()],
};
