// The README's hand-written guide ("On your page", "Theming") explains the element in prose and short
// tables ahead of the generated API section. Its names must be the manifest's: a renamed attribute,
// a new event or part, or a dropped custom property fails here instead of leaving the guide stale.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { README, analyze, elementOf, type ElementDoc } from './api-tables.js';

const sorted = (names: Iterable<string>): string[] => [...new Set(names)].sort();

/** The text of `## title` up to the next `## ` heading. */
function section(readme: string, title: string): string {
  const start = readme.indexOf(`\n## ${title}\n`);
  assert.ok(start >= 0, `README has no "## ${title}" section`);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** Backticked names in the first column of the first table at or after `heading`. */
function firstColumn(text: string, heading: string): string[] {
  const at = text.indexOf(heading);
  assert.ok(at >= 0, `README: "${heading}" not found`);
  const table: string[] = [];
  for (const line of text.slice(at).split('\n')) {
    if (line.startsWith('|')) table.push(line);
    else if (table.length > 0) break;
  }
  assert.ok(table.length > 2, `README: no table at "${heading}"`);
  // past the head and the rule
  return table.slice(2).flatMap((row) => [...(row.split('|')[1] ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1]!));
}

/** Backticked names in the sentence that starts with `lead` (up to its full stop before a new sentence). */
function listAfter(text: string, lead: string): string[] {
  const at = text.indexOf(lead);
  assert.ok(at >= 0, `README: "${lead}" not found`);
  const sentence = text.slice(at + lead.length).split(/\.\s/)[0]!;
  // names come first in each item: "`stop` (the …)" — parenthesised remarks are not names
  return [...sentence.replace(/\([^)]*\)/g, '').matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
}

describe('README guide agrees with custom-elements.json', () => {
  let el: ElementDoc;
  let page: string;
  let theming: string;
  before(() => {
    el = elementOf(analyze());
    const readme = readFileSync(README, 'utf8');
    page = section(readme, 'On your page');
    theming = section(readme, 'Theming');
  });

  it('"On your page" lists every attribute, and only those', () => {
    assert.deepEqual(sorted(firstColumn(page, '**Attributes**')), sorted(el.attributes.map((a) => a.name)));
  });

  it('"On your page" lists every event, and only those', () => {
    assert.deepEqual(sorted(firstColumn(page, '**Events**')), sorted(el.events.map((e) => e.name)));
  });

  it('"Theming" lists every custom property, and only those', () => {
    assert.deepEqual(sorted(firstColumn(theming, '| property |')), sorted(el.cssProperties.map((p) => p.name)));
  });

  it('"Theming" names every part and every slot', () => {
    assert.deepEqual(sorted(listAfter(theming, 'Parts for `::part()`:')), sorted(el.cssParts.map((p) => p.name)));
    assert.deepEqual(sorted(listAfter(theming, 'Slots:')), sorted(el.slots.map((s) => s.name)));
  });
});
