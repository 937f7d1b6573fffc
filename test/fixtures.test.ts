import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze, applyEdits, CODES, type Diagnostic } from '../server/src/engine/index.ts';
import { FIXTURES, found, hostWithin, readMarkedFixture } from './helpers.ts';

const fixtureFiles = fs
  .readdirSync(FIXTURES, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.fj.md'))
  .map((f) => path.join(FIXTURES, f));

function run(file: string, text: string): Diagnostic[] {
  return analyze(text, { file, host: hostWithin(path.dirname(file)) }).diagnostics;
}

// Each rule's own examples are its tests (test/rules.test.ts); the fixtures are documents
// with several findings at once, their marks naming codes the registry knows.
test('the fixtures expect only codes a user can see', () => {
  const known = new Set<string>(CODES.map((c) => c.code));
  for (const f of fixtureFiles) {
    for (const e of readMarkedFixture(fs.readFileSync(f, 'utf8')).expected) {
      const code = e.split(':')[1] as string;
      assert.ok(known.has(code), `${path.relative(FIXTURES, f)} expects ${code}, which is no code of the registry`);
    }
  }
});

for (const file of fixtureFiles) {
  const name = path.relative(FIXTURES, file);
  const { text, expected } = readMarkedFixture(fs.readFileSync(file, 'utf8'));

  test(`${name}: exactly the marked findings`, () => {
    assert.deepEqual(found(run(file, text)), expected);
  });

  test(`${name}: each fix removes its finding and adds none`, () => {
    const before = run(file, text);
    for (const d of before) {
      for (const fix of d.fixes ?? []) {
        const fixed = applyEdits(text, fix.edits);
        const after = run(file, fixed);
        const count = (list: Diagnostic[], code: string): number => list.filter((x) => x.code === code).length;
        assert.equal(count(after, d.code), count(before, d.code) - 1, `${fix.title} at line ${d.range.start.line + 1} did not remove one ${d.code}`);
        assert.equal(after.length, before.length - 1, `${fix.title} at line ${d.range.start.line + 1} changed other findings: ${found(after).join(' ')}`);
      }
    }
  });

  test(`${name}: applying every safe fix leaves no fixable finding, and the rest unchanged`, () => {
    const before = run(file, text);
    const edits = before.flatMap((d) => d.fixes?.find((f) => f.preferred)?.edits ?? []);
    const fixed = applyEdits(text, edits);
    const after = run(file, fixed);
    assert.deepEqual(
      after.filter((d) => d.fixes?.some((f) => f.preferred)).map((d) => `${d.range.start.line + 1}:${d.code}`),
      [],
    );
    const unfixable = (list: Diagnostic[]): string[] => list.filter((d) => !d.fixes?.some((f) => f.preferred)).map((d) => d.code).sort();
    assert.deepEqual(unfixable(after), unfixable(before));
    // Only punctuation and numbers change: the text keeps every other character.
    const letters = (s: string): string => s.replace(/[\s,;:()，；：（）0-9一二三四五六七八九十、.．]/g, '');
    if (!before.some((d) => d.code === 'lead-also-responsible' || d.code === 'bad-deadline')) assert.equal(letters(fixed), letters(text));
  });
}
