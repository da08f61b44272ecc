// The manifest is complete (every event, part, slot and custom property the code has is documented,
// and nothing else), and the README's API tables are what the manifest says.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { README, analyze, currentBlock, elementOf, renderApi, root, type ElementDoc, type Manifest } from './api-tables.js';

const source = (path: string): string => readFileSync(join(root, path), 'utf8');
const sorted = (names: Iterable<string>): string[] => [...new Set(names)].sort();
const all = (text: string, re: RegExp): string[] => [...text.matchAll(re)].map((m) => m[1]!);

describe('custom-elements.json', () => {
  let manifest: Manifest;
  let el: ElementDoc;
  before(() => {
    manifest = analyze();
    el = elementOf(manifest);
  });

  it('describes <robokassa-checkout> and maps the tag to the class', () => {
    assert.equal(el.tagName, 'robokassa-checkout');
    const defs = manifest.modules.flatMap((m) => m.exports ?? []).filter((e) => e.kind === 'custom-element-definition');
    assert.deepEqual(defs.map((d) => d.name), ['robokassa-checkout']);
  });

  it('lists exactly the events of CheckoutEventMap, each with its detail type', () => {
    const map = /interface CheckoutEventMap \{([^}]*)\}/.exec(source('src/checkout/events.ts'));
    assert.ok(map, 'src/checkout/events.ts: interface CheckoutEventMap not found');
    const typed = all(map[1]!, /'(rk-[\w-]+)':/g);
    assert.deepEqual(sorted(el.events.map((e) => e.name)), sorted(typed), 'the @fires lines of the class JSDoc and CheckoutEventMap name different events');
    for (const e of el.events) assert.match(e.type?.text ?? '', /^CustomEvent<Rk\w+Detail>$/, `@fires ${e.name}: type it {CustomEvent<Rk…Detail>}`);
  });

  it('lists exactly the parts and slots the template renders', () => {
    const template = source('src/checkout/checkout.ts');
    assert.deepEqual(sorted(el.cssParts.map((p) => p.name)), sorted(all(template, /\bpart="([\w-]+)"/g)), '@csspart lines vs part="…" in the template');
    assert.deepEqual(sorted(el.slots.map((s) => s.name)), sorted(all(template, /<slot name="([\w-]+)"/g)), '@slot lines vs <slot name="…"> in the template');
  });

  it('lists exactly the public custom properties, with the light-scheme defaults the styles use', () => {
    const css = source('src/checkout/checkout.styles.ts');
    const defaults = new Map<string, string>();
    // the first var(--rk-x, default) of each name is the :host rule; the dark scheme comes later
    for (const m of css.matchAll(/var\(\s*(--rk-[\w-]+)\s*,\s*(.*?)\s*\)\s*[;}]/g)) if (!defaults.has(m[1]!)) defaults.set(m[1]!, m[2]!);
    assert.deepEqual(sorted(el.cssProperties.map((p) => p.name)), sorted(defaults.keys()), '@cssprop lines vs var(--rk-…) in checkout.styles.ts');
    const squash = (s: string | undefined): string => (s ?? '').replace(/\s+/g, '');
    for (const p of el.cssProperties) assert.equal(squash(p.default), squash(defaults.get(p.name)), `@cssprop ${p.name}: default`);
  });

  it('documents every public attribute, property and method', () => {
    const undocumented = [
      ...el.attributes.filter((a) => !a.description).map((a) => `attribute ${a.name}`),
      ...el.members.filter((m) => (m.privacy ?? 'public') === 'public' && !m.description).map((m) => `${m.kind} ${m.name}`),
    ];
    assert.deepEqual(undocumented, []);
  });

  it('matches the README API tables (run `npm run docs:api` to rewrite them)', () => {
    const readme = readFileSync(README, 'utf8');
    assert.equal(currentBlock(readme), renderApi(el), 'README.md API tables drifted from custom-elements.json; run `npm run docs:api`');
  });
});
