import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Directory, directoryDiagnostics } from '../server/src/engine/index.ts';
import { check } from './helpers.ts';

const TASK = '- 任务。（牵头单位：财政厅；完成时限：长期坚持）\n';

test('found beside the document, else in the nearest folder above, up to the workspace', () => {
  const files = { '/w/单位名录.yaml': '单位: [财政局]\n', '/w/a/b/单位名录.yaml': '单位: [财政厅]\n' };
  assert.equal(check(TASK, '/w/a/b/doc.fj.md', files).directory?.path, '/w/a/b/单位名录.yaml');
  assert.equal(check(TASK, '/w/a/doc.fj.md', files).directory?.path, '/w/单位名录.yaml');
  assert.deepEqual(check(TASK, '/w/a/doc.fj.md', files).diagnostics.map((d) => d.code), ['unknown-unit']);
  // The search stops at the workspace root (/w in these tests): a file above it is not used.
  assert.equal(check(TASK, '/w/a/doc.fj.md', { '/单位名录.yaml': '单位: [财政局]\n' }).directory, undefined);
});

test('without a directory, no name is reported unknown', () => {
  assert.deepEqual(check(TASK).diagnostics, []);
});

test('the front-matter key 单位名录 names it, relative to the document', () => {
  const files = { '/w/shared/名录.yaml': '单位: [财政厅]\n', '/w/docs/单位名录.yaml': '单位: [别的局]\n' };
  const r = check(`---\n单位名录: ../shared/名录.yaml\n---\n${TASK}`, '/w/docs/doc.fj.md', files);
  assert.equal(r.directory?.path, '/w/shared/名录.yaml');
  assert.deepEqual(r.diagnostics, []);
  const missing = check(`---\nunits: 没有.yaml\n---\n${TASK}`, '/w/docs/doc.fj.md', files);
  assert.equal(missing.diagnostics[0]?.code, 'front-matter');
  assert.equal(missing.diagnostics[0]?.range.start.line, 1);
  assert.match(missing.diagnostics[0]!.message, /找不到单位名录文件“没有\.yaml”/);
});

test('English keys, aliases and 泛称', () => {
  const d = new Directory('/w/u.yaml', 'units:\n  - name: 市场监督管理局经开区分局\n    aliases: 市监分局\n  - 财政局\ncollective: [市直各部门]\n');
  assert.deepEqual(d.problems, []);
  assert.equal(d.canonical('市监分局'), '市场监督管理局经开区分局');
  assert.equal(d.lookup('市直各部门')?.kind, 'collective');
  assert.deepEqual(d.suggest('市场监督管理局经开区'), ['市场监督管理局经开区分局']);
  assert.deepEqual(d.suggest('财政厅'), ['财政局']);
  assert.deepEqual(d.suggest('完全无关的名称'), []);
});

test('a broken directory is reported in that file, on the right line', () => {
  const cases: [string, number, RegExp][] = [
    ['单位:\n  - 财政局\n  - 财政局\n', 2, /出现了不止一次/],
    ['单位:\n  - 财政局\n  - 名称: 甲局\n    简写: 甲\n', 2, /单位应写为名称/],
    ['单位: 财政局\n', 0, /应为列表/],
    ['单位:\n  - [未闭合\n', 1, /YAML 格式错误/],
    ['部门:\n  - 财政局\n', 0, /未知的键“部门”/],
    ['单位:\n  - &a 财政局\n  - *a\n', 2, /不支持 YAML 锚点和别名/],
  ];
  for (const [text, line, message] of cases) {
    const diags = directoryDiagnostics(new Directory('/w/单位名录.yaml', text));
    assert.ok(diags.length >= 1, text);
    const d = diags.find((x) => message.test(x.message));
    assert.ok(d, `${text}: ${diags.map((x) => x.message).join(' | ')}`);
    assert.equal(d.code, 'directory');
    assert.equal(d.range.start.line, line, text);
  }
});

test('the document reports its directory’s problems separately', () => {
  const r = check(TASK, '/w/doc.fj.md', { '/w/单位名录.yaml': '单位:\n  - 财政厅\n  - 财政厅\n' });
  assert.deepEqual(r.diagnostics, []);
  assert.equal(r.directoryFindings?.file, '/w/单位名录.yaml');
  assert.equal(r.directoryFindings?.diagnostics.length, 1);
});
