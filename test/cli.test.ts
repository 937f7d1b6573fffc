import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT } from './helpers.ts';

const BIN = path.join(ROOT, 'server', 'bin', 'fenjie.js');

function fenjie(args: string[], cwd = ROOT): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

let tmp: string;
before(() => {
  // The CLI runs from its bundle, as after `npm ci`.
  assert.ok(fs.existsSync(path.join(ROOT, 'out', 'cli.cjs')), 'run `npm run build` first');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fenjie-cli-'));
  fs.mkdirSync(path.join(tmp, '.git'));
});

test('check examples/: one line per finding, a summary, exit 1 for errors', () => {
  const r = fenjie(['check', 'examples/']);
  assert.equal(r.code, 1);
  const lines = r.out.trim().split('\n');
  assert.equal(lines.length, 35);
  assert.match(lines[0]!, /^examples\/changchun-2020\/通知\.fj\.md:34:4: 错误 missing-lead 任务缺少牵头单位。/);
  assert.match(r.err, /共检查 3 个文档：错误 35 个，警告 0 个。/);
});

test('check --format json gives the documented fields, 1-based', () => {
  const r = fenjie(['check', 'examples/changchun-2020/通知.fj.md', '--format', 'json']);
  assert.equal(r.code, 1);
  const rows = JSON.parse(r.out) as Record<string, unknown>[];
  assert.equal(rows.length, 11);
  assert.deepEqual(Object.keys(rows[0]!).sort(), ['code', 'column', 'endColumn', 'endLine', 'file', 'line', 'message', 'severity']);
  assert.deepEqual([rows[0]!['line'], rows[0]!['column'], rows[0]!['severity'], rows[0]!['code']], [34, 4, 'error', 'missing-lead']);
});

test('a clean document exits 0; a folder is searched for *.fj.md', () => {
  const dir = path.join(tmp, 'clean');
  fs.mkdirSync(path.join(dir, 'sub'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'sub', 'a.fj.md'), '- 任务。（牵头单位：财政局；完成时限：长期坚持）\n');
  fs.writeFileSync(path.join(dir, 'notes.md'), '- 不是 fenjie 文档\n');
  const r = fenjie(['check', dir]);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, '');
  assert.match(r.err, /共检查 1 个文档：错误 0 个，警告 0 个。/);
});

test('check --fix writes the safe fixes back and reports what is left', () => {
  const file = path.join(tmp, 'fix.fj.md');
  fs.writeFileSync(file, '## 一、甲\n\n1. 任务一,写错了标点。\n   - 牵头单位:财政局\n   - 完成时限：12月底前\n3. 任务二。\n\n## 三、乙\n');
  const r = fenjie(['check', '--fix', file]);
  assert.equal(fs.readFileSync(file, 'utf8'), '## 一、甲\n\n1. 任务一，写错了标点。\n   - 牵头单位：财政局\n   - 完成时限：12月底前\n2. 任务二。\n\n## 二、乙\n');
  assert.equal(r.code, 1); // task two still has no lead and no deadline
  assert.deepEqual(r.out.trim().split('\n').map((l) => l.split(' ')[2]), ['missing-lead', 'missing-deadline']);
  assert.match(r.err, /已自动修正 4 处/);
});

test('export --to json prints the model; -o writes a file and never the source', () => {
  const r = fenjie(['export', 'examples/changji-2020/工作要点.fj.md', '--to', 'json']);
  assert.equal(r.code, 0, r.err);
  const doc = JSON.parse(r.out);
  assert.equal(doc.breakdowns[0].tasks.length, 31);
  const out = path.join(tmp, 'out.json');
  const w = fenjie(['export', 'examples/changji-2020/工作要点.fj.md', '--to', 'json', '-o', out]);
  assert.equal(w.code, 0, w.err);
  assert.deepEqual(JSON.parse(fs.readFileSync(out, 'utf8')), doc);

  const src = path.join(tmp, 'src.fj.md');
  fs.writeFileSync(src, '- 任务\n');
  const same = fenjie(['export', src, '--to', 'json', '-o', src]);
  assert.equal(same.code, 2);
  assert.match(same.err, /不会覆盖文档/);
  assert.equal(fs.readFileSync(src, 'utf8'), '- 任务\n');
});

test('export --to html|docx|xlsx writes beside the document by default, or to -o; --by-unit too', () => {
  const dir = path.join(tmp, 'export');
  fs.mkdirSync(dir);
  const src = path.join(dir, '通知.fj.md');
  fs.copyFileSync(path.join(ROOT, 'examples', 'changchun-2020', '通知.fj.md'), src);
  fs.copyFileSync(path.join(ROOT, 'examples', 'changchun-2020', '单位名录.yaml'), path.join(dir, '单位名录.yaml'));
  const before = fs.readFileSync(src);
  for (const format of ['html', 'docx', 'xlsx']) {
    const r = fenjie(['export', src, '--to', format]);
    assert.equal(r.code, 0, r.err);
    const out = path.join(dir, `通知.${format}`);
    assert.match(r.err, new RegExp(`已导出到 .*通知\\.${format}`));
    // The example has errors (missing leads): the export says so, and still happens.
    assert.match(r.err, /文档中有 \d+ 个错误/);
    const bytes = fs.readFileSync(out);
    if (format === 'html') assert.match(bytes.toString('utf8'), /<table[\s\S]*rowspan="3"/);
    else assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', `${format} is a zip package`);
    const byUnit = fenjie(['export', src, '--to', format, '--by-unit', '-o', path.join(dir, `u.${format}`)]);
    assert.equal(byUnit.code, 0, byUnit.err);
    assert.ok(fs.statSync(path.join(dir, `u.${format}`)).size > 0);
  }
  assert.match(fs.readFileSync(path.join(dir, 'u.html'), 'utf8'), /营商环境建设局（牵头 \d+ 项，参与 \d+ 项）/);
  assert.deepEqual(fs.readFileSync(src), before, 'the source is never touched');
  assert.deepEqual(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp')), [], 'no temporary file is left');
});

test('export refuses the source, a read-only or missing target, and --by-unit for json, touching nothing', () => {
  const dir = path.join(tmp, 'refuse');
  fs.mkdirSync(dir);
  const src = path.join(dir, '表.fj.md');
  fs.writeFileSync(src, '# 表\n\n1. 任务（牵头单位：财政局；完成时限：12月底前）\n');
  const locked = path.join(dir, '表.docx');
  fs.writeFileSync(locked, 'old');
  fs.chmodSync(locked, 0o444);
  const cases: Array<[string[], RegExp]> = [
    [['export', src, '--to', 'docx', '-o', src], /不会覆盖文档/],
    [['export', src, '--to', 'docx', '-o', path.join(dir, '表.FJ.MD')], /不会覆盖文档/],
    // Beside the document: an existing file of the default name is replaced only when named.
    [['export', src, '--to', 'docx'], /已存在，fenjie 不会自动替换它/],
    [['export', src, '--to', 'docx', '-o', locked], /只读/],
    [['lsp', '--node-ipc'], /不支持 --node-ipc/],
    [['export', src, '--to', 'xlsx', '-o', path.join(dir, 'nope', 'x.xlsx')], /文件夹不存在/],
    [['export', src, '--to', 'json', '--by-unit'], /只用于 html、docx 和 xlsx/],
    [['export', src, '--to', 'pdf'], /可用的格式：json、html、docx、xlsx/],
  ];
  for (const [args, message] of cases) {
    const r = fenjie(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.err, message, args.join(' '));
    assert.match(r.err, /^fenjie：/);
  }
  assert.equal(fs.readFileSync(locked, 'utf8'), 'old');
  assert.equal(fs.readFileSync(src, 'utf8'), '# 表\n\n1. 任务（牵头单位：财政局；完成时限：12月底前）\n');
  assert.deepEqual(fs.readdirSync(dir).sort(), ['表.docx', '表.fj.md']);
});

test('usage and I/O trouble exit 2 with one plain line', () => {
  for (const args of [['check'], ['check', path.join(tmp, 'nope.fj.md')], ['check', '--format', 'xml', 'examples/'], ['export', 'examples/changji-2020/工作要点.fj.md', '--to', 'pdf'], ['frobnicate'], ['check', '--bogus', 'examples/']]) {
    const r = fenjie(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.err, /^fenjie：.+\n/, args.join(' '));
    assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace');
  }
  const bin = path.join(tmp, 'bin.fj.md');
  fs.writeFileSync(bin, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]));
  assert.match(fenjie(['check', bin]).err, /二进制文件/);
  const latin = path.join(tmp, 'gbk.fj.md');
  fs.writeFileSync(latin, Buffer.from([0xc8, 0xce, 0xce, 0xf1, 0x0a])); // 任务 in GBK
  const g = fenjie(['check', latin]);
  assert.equal(g.code, 2);
  assert.match(g.err, /不是 UTF-8 编码/);
});

/** Issue 10 (1): the second category's list runs on from the first, and its last item sits right under a paragraph. */
const UNDER_PARAGRAPH = `## 一、综合

1. 任务甲（牵头单位：财政局；完成时限：12月底前）
2. 任务乙（牵头单位：财政局；完成时限：12月底前）

## 二、专项

3. 任务丙（牵头单位：财政局；完成时限：12月底前）

以下任务由财政局统筹：
1. 任务丁（牵头单位：财政局；完成时限：12月底前）
`;

function taskCount(file: string): number {
  const r = fenjie(['export', file, '--to', 'json']);
  assert.equal(r.code, 0, r.err);
  return (JSON.parse(r.out) as { breakdowns: { tasks: unknown[] }[] }).breakdowns.reduce((n, b) => n + b.tasks.length, 0);
}

test('check --fix renumbers an item right under a paragraph without turning it into text: four tasks stay four', () => {
  const file = path.join(tmp, 'under-paragraph.fj.md');
  fs.writeFileSync(file, UNDER_PARAGRAPH);
  assert.equal(taskCount(file), 4);
  const r = fenjie(['check', '--fix', file]);
  assert.equal(r.code, 0, r.err);
  assert.equal(fs.readFileSync(file, 'utf8'), UNDER_PARAGRAPH.replace('以下任务由财政局统筹：\n1. 任务丁', '以下任务由财政局统筹：\n\n4. 任务丁'));
  assert.equal(taskCount(file), 4);
  assert.match(r.err, /under-paragraph\.fj\.md:12: 已修正 numbering：1\. 任务丁.* → 4\. 任务丁.*（并在上面加一个空行）\n/);
  assert.match(r.err, /共检查 1 个文档：错误 0 个，警告 0 个，已自动修正 1 处。/);
  // Nothing is left to fix.
  const again = fenjie(['check', '--fix', file]);
  assert.match(again.err, /已自动修正 0 处。/);
  assert.doesNotMatch(again.err, /已修正/);
});

test('check --fix lists each change as file:line: before → after; --dry-run lists them and writes nothing', () => {
  const file = path.join(tmp, 'dry.fj.md');
  const text = '## 一、甲\n\n1. 任务一,写错了标点。（牵头单位：财政局；完成时限：12月底前）\n3. 任务二。（牵头单位：财政局；完成时限：12月底前）\n\n## 三、乙\n';
  fs.writeFileSync(file, text);
  const dry = fenjie(['check', '--fix', '--dry-run', file]);
  assert.equal(fs.readFileSync(file, 'utf8'), text);
  const listed = dry.err.split('\n').filter((l) => l.includes('将修正'));
  assert.deepEqual(
    listed.map((l) => l.replace(/^.*dry\.fj\.md/, 'dry.fj.md')),
    ['dry.fj.md:3: 将修正 halfwidth-punctuation：1. 任务一,写错了标点。（牵头单位：… → 1. 任务一，写错了标点。（牵头单位：…', 'dry.fj.md:4: 将修正 numbering：3. 任务二。（牵头单位：… → 2. 任务二。（牵头单位：…', 'dry.fj.md:6: 将修正 numbering：## 三、乙 → ## 二、乙'],
  );
  assert.match(dry.err, /可自动修正 3 处（--dry-run：未写入文件）。/);
  assert.equal(dry.code, 0); // what would remain after the fixes: nothing
  const r = fenjie(['check', '--fix', file]);
  assert.deepEqual(r.err.split('\n').filter((l) => l.includes('已修正')).length, 3);
  assert.match(r.err, /已自动修正 3 处。/);
  assert.equal(fs.readFileSync(file, 'utf8'), '## 一、甲\n\n1. 任务一，写错了标点。（牵头单位：财政局；完成时限：12月底前）\n2. 任务二。（牵头单位：财政局；完成时限：12月底前）\n\n## 二、乙\n');
  const alone = fenjie(['check', '--dry-run', file]);
  assert.equal(alone.code, 2);
  assert.match(alone.err, /--dry-run 只能与 --fix 一起使用/);
});
