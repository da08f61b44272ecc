// The README's API tables, written from the Custom Elements Manifest so they cannot drift from the
// class JSDoc. `npm run docs:api` rewrites the block between the markers; test/docs/api-tables.test.ts
// fails (with a diff) when README and manifest disagree.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as z from 'zod/mini';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const README = join(root, 'README.md');
export const CONFIG = 'src/checkout/custom-elements-manifest.config.mjs';
export const START = '<!-- api:start (generated from custom-elements.json by `npm run docs:api`; edit the JSDoc in src/checkout/checkout.ts, not this) -->';
export const END = '<!-- api:end -->';

const Type = z.optional(z.object({ text: z.string() }));
const Named = z.object({ name: z.string(), description: z.optional(z.string()), default: z.optional(z.string()), type: Type });
const Member = z.object({
  kind: z.enum(['field', 'method']),
  name: z.string(),
  description: z.optional(z.string()),
  type: Type,
  default: z.optional(z.string()),
  privacy: z.optional(z.enum(['public', 'private', 'protected'])),
  static: z.optional(z.boolean()),
  readonly: z.optional(z.boolean()),
  attribute: z.optional(z.string()),
  parameters: z.optional(z.array(z.object({ name: z.string(), type: Type }))),
  return: z.optional(z.object({ type: Type })),
});
const Element = z.object({
  kind: z.literal('class'),
  name: z.string(),
  tagName: z.string(),
  customElement: z.literal(true),
  attributes: z.array(z.extend(Named, { fieldName: z.optional(z.string()) })),
  members: z.array(Member),
  events: z.array(Named),
  slots: z.array(Named),
  cssParts: z.array(Named),
  cssProperties: z.array(Named),
});
export const Manifest = z.object({
  schemaVersion: z.string(),
  modules: z.array(z.object({
    path: z.string(),
    declarations: z.array(z.looseObject({ kind: z.string(), name: z.string(), customElement: z.optional(z.boolean()) })),
    exports: z.optional(z.array(z.looseObject({ kind: z.string(), name: z.string() }))),
  })),
});
export type Manifest = z.infer<typeof Manifest>;
export type ElementDoc = z.infer<typeof Element>;

/** Runs the analyzer with the build's config into a temporary folder and returns the parsed manifest. */
export function analyze(): Manifest {
  const dir = mkdtempSync(join(tmpdir(), 'rk-cem-'));
  try {
    // the analyzer joins --outdir onto the working directory, so it has to be relative
    const res = spawnSync(join(root, 'node_modules/.bin/cem'), ['analyze', '--config', CONFIG, '--outdir', relative(root, dir), '--quiet'], { cwd: root, encoding: 'utf8' });
    if (res.status !== 0) throw new Error(`cem analyze failed (exit ${res.status}): ${res.stderr || res.stdout || res.error}`);
    return Manifest.parse(JSON.parse(readFileSync(join(dir, 'custom-elements.json'), 'utf8')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The one custom element the manifest describes, checked field by field. */
export function elementOf(manifest: Manifest): ElementDoc {
  const found = manifest.modules.flatMap((m) => m.declarations).filter((d) => d.customElement);
  if (found.length !== 1) throw new Error(`expected one custom element in the manifest, found ${found.length}`);
  const parsed = Element.safeParse(found[0]);
  if (!parsed.success) throw new Error(`custom-elements.json: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** One table cell: one line, pipes escaped (GFM needs `\|` even inside code spans). */
const cell = (text: string | undefined): string => (text ?? '').replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|').trim();
const code = (text: string | undefined): string => (text ? `\`${cell(text)}\`` : '');

function table(head: string[], rows: string[][]): string {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/** The Markdown written between the markers. */
export function renderApi(el: ElementDoc): string {
  const attrOf = new Map(el.attributes.map((a) => [a.fieldName ?? a.name, a.name]));
  const isPublic = (m: z.infer<typeof Member>): boolean => (m.privacy ?? 'public') === 'public';
  const fields = el.members.filter((m) => m.kind === 'field' && isPublic(m));
  const methods = el.members.filter((m) => m.kind === 'method' && isPublic(m) && !m.static);

  const props = fields.map((f) => [
    f.static ? `\`${el.name}.${f.name}\` (static)` : code(f.name) + (f.readonly ? ' (read-only)' : ''),
    attrOf.has(f.name) ? code(attrOf.get(f.name)) : '—',
    code(f.type?.text),
    code(f.default),
    cell(f.description),
  ]);
  const meths = methods.map((m) => [
    code(`${m.name}(${(m.parameters ?? []).map((p) => `${p.name}: ${p.type?.text ?? 'unknown'}`).join(', ')})`),
    code(m.return?.type?.text),
    cell(m.description),
  ]);
  return [
    `\`<${el.tagName}>\` — class \`${el.name}\`. Attributes are the kebab-case form of the property; a property without an attribute is set from script.`,
    '',
    '**Properties and attributes**',
    '',
    table(['property', 'attribute', 'type', 'default', 'description'], props),
    '',
    '**Methods**',
    '',
    table(['method', 'returns', 'description'], meths),
    '',
    '**Events** (all bubble and are composed; the detail types are exported by the package)',
    '',
    table(['event', 'type', 'description'], el.events.map((e) => [code(e.name), code(e.type?.text), cell(e.description)])),
    '',
    '**Slots**',
    '',
    table(['slot', 'description'], el.slots.map((s) => [code(s.name), cell(s.description)])),
    '',
    '**CSS parts** (for `::part()`)',
    '',
    table(['part', 'description'], el.cssParts.map((p) => [code(p.name), cell(p.description)])),
    '',
    '**CSS custom properties** (default: the light scheme)',
    '',
    table(['property', 'default', 'description'], el.cssProperties.map((p) => [code(p.name), code(p.default), cell(p.description)])),
  ].join('\n');
}

/** The README text between the markers, or an error naming the missing marker. */
export function currentBlock(readme: string): string {
  const a = readme.indexOf(START);
  const b = readme.indexOf(END);
  if (a < 0 || b < a) throw new Error(`README.md: the API block markers are missing; it needs the lines\n${START}\n${END}`);
  return readme.slice(a + START.length, b).trim();
}

export function withBlock(readme: string, block: string): string {
  const a = readme.indexOf(START);
  const b = readme.indexOf(END);
  if (a < 0 || b < a) throw new Error(`README.md: the API block markers are missing; it needs the lines\n${START}\n${END}`);
  return `${readme.slice(0, a + START.length)}\n${block}\n${readme.slice(b)}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const readme = readFileSync(README, 'utf8');
  const next = withBlock(readme, renderApi(elementOf(analyze())));
  if (next === readme) console.log('README.md: API tables already match custom-elements.json');
  else {
    writeFileSync(README, next);
    console.log('README.md: API tables rewritten from custom-elements.json');
  }
}
