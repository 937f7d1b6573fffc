/**
 * Every rule's own examples are its tests, run through `fenjie check` as a user runs it: an
 * `ok` example gives no finding of the rule's code, a `notOk` one at least one, and a
 * `notOk` example with `fixed` becomes exactly that text after `fenjie check --fix`. A rule
 * without examples, or without its section in docs/dialect.md, fails here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../server/src/cli/main.ts';
import { analyze, applyEdits, CODES, DIAGNOSTIC_CODES, RULES, RULE_DOCS, type Diagnostic, type RuleExample } from '../server/src/engine/index.ts';
import { hostWithin } from './helpers.ts';
import { renderRuleDocs, RULES_BEGIN, RULES_END } from '../scripts/rule-docs.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface Run {
  code: number;
  out: string;
  err: string;
}

async function cli(args: string[]): Promise<Run> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

/** The example as a folder of its own (a `.git` stops the 单位名录 search there). */
function place(ex: RuleExample): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fenjie-rule-'));
  fs.mkdirSync(path.join(dir, '.git'));
  const file = path.join(dir, '例.fj.md');
  fs.writeFileSync(file, ex.text);
  if (ex.directory !== undefined) fs.writeFileSync(path.join(dir, '单位名录.yaml'), ex.directory);
  return file;
}

async function codesOf(ex: RuleExample): Promise<string[]> {
  const file = place(ex);
  try {
    const r = await cli(['check', '--format', 'json', file]);
    assert.ok(r.code === 0 || r.code === 1, `fenjie check exited ${r.code}: ${r.err}`);
    return (JSON.parse(r.out) as { code: string }[]).map((d) => d.code);
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

for (const rule of RULES) {
  test(`rule ${rule.code}: its examples`, async () => {
    assert.ok(rule.examples.ok.length > 0, `规则 ${rule.code} 没有 ok 示例（examples.ok）：每条规则至少要有一个不报告的例子。`);
    assert.ok(rule.examples.notOk.length > 0, `规则 ${rule.code} 没有 notOk 示例（examples.notOk）：每条规则至少要有一个报告的例子。`);
    assert.ok(rule.description.trim().length > 0, `规则 ${rule.code} 没有说明（description）。`);
    for (const ex of rule.examples.ok) {
      const codes = await codesOf(ex);
      assert.ok(!codes.includes(rule.code), `${rule.code} 的 ok 示例报告了 ${rule.code}：\n${ex.text}`);
    }
    for (const ex of rule.examples.notOk) {
      const codes = await codesOf(ex);
      assert.ok(codes.includes(rule.code), `${rule.code} 的 notOk 示例没有报告 ${rule.code}（报告了 ${codes.join('、') || '无'}）：\n${ex.text}`);
    }
    for (const ex of rule.examples.notOk) {
      // Each fix the finding offers (a quick fix in the editor) removes it and adds nothing.
      const file = place(ex);
      try {
        const run = (text: string): Diagnostic[] => analyze(text, { file, host: hostWithin(path.dirname(file)) }).diagnostics;
        const before = run(ex.text);
        for (const d of before.filter((x) => x.code === rule.code)) {
          for (const fix of d.fixes ?? []) {
            const after = run(applyEdits(ex.text, fix.edits));
            assert.equal(after.filter((x) => x.code === rule.code).length, before.filter((x) => x.code === rule.code).length - 1, `${rule.code}：“${fix.title}”没有消除这一处问题`);
            assert.equal(after.length, before.length - 1, `${rule.code}：“${fix.title}”改变了其他问题`);
          }
        }
      } finally {
        fs.rmSync(path.dirname(file), { recursive: true, force: true });
      }
    }
    const fixable = rule.examples.notOk.filter((ex) => ex.fixed !== undefined);
    if (rule.fix === 'safe') assert.ok(fixable.length > 0, `规则 ${rule.code} 可以自动修正，但没有一个 notOk 示例写明修正后的文字（fixed）。`);
    else assert.equal(fixable.length, 0, `规则 ${rule.code} 不能自动修正（fix: ${rule.fix}），其示例不应写 fixed。`);
    for (const ex of fixable) {
      const file = place(ex);
      try {
        const r = await cli(['check', '--fix', file]);
        assert.ok(r.code === 0 || r.code === 1, `fenjie check --fix exited ${r.code}: ${r.err}`);
        assert.equal(fs.readFileSync(file, 'utf8'), ex.fixed, `${rule.code} 的示例修正后不是 fixed 所写的文字`);
        const after = await cli(['check', '--format', 'json', file]);
        assert.ok(!(JSON.parse(after.out) as { code: string }[]).some((d) => d.code === rule.code), `${rule.code} 的示例修正后仍报告 ${rule.code}`);
      } finally {
        fs.rmSync(path.dirname(file), { recursive: true, force: true });
      }
    }
  });
}

test('the registry and the codes of the engine\'s type are the same list', () => {
  assert.deepEqual([...DIAGNOSTIC_CODES].sort(), CODES.map((c) => c.code).sort());
});

test('codes are unique, and every code a user can see has its section in docs/dialect.md', () => {
  const codes = CODES.map((c) => c.code);
  assert.deepEqual([...new Set(codes)], codes);
  const docs = fs.readFileSync(path.join(ROOT, RULE_DOCS), 'utf8');
  for (const c of codes) assert.ok(docs.includes(`\n### ${c}\n`), `${RULE_DOCS} 中没有 ${c} 一节（### ${c}）。请运行 npm run gen:docs。`);
});

test('the rule section of docs/dialect.md is what npm run gen:docs writes', () => {
  const docs = fs.readFileSync(path.join(ROOT, RULE_DOCS), 'utf8');
  const begin = docs.indexOf(RULES_BEGIN);
  const end = docs.indexOf(RULES_END);
  assert.ok(begin >= 0 && end > begin, `${RULE_DOCS} 中找不到规则一节的起止标记。`);
  assert.equal(docs.slice(begin, end + RULES_END.length), renderRuleDocs(), `${RULE_DOCS} 的规则一节与规则文件不一致：请运行 npm run gen:docs。`);
});
