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

// --- files that are not what they seem (issue 10, parts 3, 4 and 6) ---------------------------

/** A folder of its own under tmp, with a .git so the 单位名录 lookup stops there. */
function project(name: string): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(path.join(dir, '.git'), { recursive: true });
  return dir;
}

const CLEAN = '- 任务。（牵头单位：财政局；完成时限：长期坚持）\n';
const FIXABLE = '## 一、甲\n\n1. 任务一,写错了标点。（牵头单位：财政局；完成时限：长期坚持）\n';
const FIXED = '## 一、甲\n\n1. 任务一，写错了标点。（牵头单位：财政局；完成时限：长期坚持）\n';

test('check of a device or a FIFO refuses it at once: not a regular file, exit 2', () => {
  const dir = project('devices');
  const fifo = path.join(dir, '管道.fj.md');
  spawnSync('mkfifo', [fifo]);
  for (const file of ['/dev/zero', fifo]) {
    const r = fenjie(['check', file]);
    assert.equal(r.code, 2, `${file}: ${r.err}`);
    assert.match(r.err, /不是普通文件（是(字符设备|命名管道 FIFO)），fenjie 只读取普通文件/);
  }
  const e = fenjie(['export', '/dev/zero', '--to', 'json']);
  assert.equal(e.code, 2);
  assert.match(e.err, /^fenjie：\/dev\/zero：不是普通文件（是字符设备）/);
});

test('a 单位名录 named in the front matter that is /dev/zero, a FIFO, a folder or not UTF-8 is an error, exit 2', () => {
  const dir = project('named-registry');
  fs.symlinkSync('/dev/zero', path.join(dir, 'zero.yaml'));
  spawnSync('mkfifo', [path.join(dir, 'fifo.yaml')]);
  fs.symlinkSync(path.join(dir, 'fifo.yaml'), path.join(dir, 'to-fifo.yaml'));
  fs.mkdirSync(path.join(dir, 'folder.yaml'));
  fs.writeFileSync(path.join(dir, 'gbk.yaml'), Buffer.from([0xb5, 0xa5, 0xce, 0xbb, 0x3a, 0x0a]));
  const cases: Array<[string, RegExp]> = [
    ['zero.yaml', /不是普通文件（是字符设备）/],
    ['fifo.yaml', /不是普通文件（是命名管道 FIFO）/],
    ['to-fifo.yaml', /不是普通文件（是命名管道 FIFO）/],
    ['folder.yaml', /这是文件夹/],
    ['gbk.yaml', /不是 UTF-8 编码/],
  ];
  for (const [registry, why] of cases) {
    const doc = path.join(dir, `${registry}.fj.md`);
    fs.writeFileSync(doc, `---\n单位名录: ${registry}\n---\n\n${CLEAN}`);
    const r = fenjie(['check', doc]);
    assert.equal(r.code, 2, `${registry}: ${r.out}${r.err}`);
    const line = r.out.split('\n').find((l) => l.includes('front-matter')) ?? '';
    assert.match(line, /:2:1: 错误 front-matter 无法读取单位名录/, registry);
    assert.match(line, why, registry);
    assert.match(line, /单位名称检查已跳过/, registry);
  }
  // A name that is simply wrong stays a finding of the document: exit 1.
  const wrong = path.join(dir, 'wrong.fj.md');
  fs.writeFileSync(wrong, `---\n单位名录: nope.yaml\n---\n\n${CLEAN}`);
  const w = fenjie(['check', wrong]);
  assert.equal(w.code, 1, w.err);
  assert.match(w.out, /找不到单位名录文件“nope\.yaml”/);
});

test('a 单位名录.yaml found by the lookup that cannot be read is a warning that the unit checks were skipped, exit 0', () => {
  const dir = project('found-registry');
  spawnSync('mkfifo', [path.join(dir, 'fifo')]);
  fs.symlinkSync(path.join(dir, 'fifo'), path.join(dir, '单位名录.yaml'));
  const doc = path.join(dir, 'a.fj.md');
  fs.writeFileSync(doc, CLEAN);
  const r = fenjie(['check', doc]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /:1:1: 警告 front-matter 无法读取单位名录“.*单位名录\.yaml”：不是普通文件（是命名管道 FIFO）.*单位名称检查已跳过/);
});

test('check --fix writes through a link: the link stays a link and its target is fixed', () => {
  const dir = project('fix-link');
  const target = path.join(dir, 'real.md');
  fs.writeFileSync(target, FIXABLE);
  const link = path.join(dir, 'link.fj.md');
  fs.symlinkSync(target, link);
  const r = fenjie(['check', '--fix', link]);
  assert.equal(r.code, 0, r.err);
  assert.ok(fs.lstatSync(link).isSymbolicLink(), 'still a link');
  assert.equal(fs.readFileSync(target, 'utf8'), FIXED);
  assert.match(r.err, /已自动修正 1 处/);
});

test('check --fix keeps the mode of a 0600 file', () => {
  const dir = project('fix-mode');
  const secret = path.join(dir, 'secret.fj.md');
  fs.writeFileSync(secret, FIXABLE);
  fs.chmodSync(secret, 0o600);
  const r = fenjie(['check', '--fix', secret]);
  assert.equal(r.code, 0, r.err);
  assert.equal(fs.readFileSync(secret, 'utf8'), FIXED);
  assert.equal(fs.statSync(secret).mode & 0o777, 0o600);
});

test('check --fix keeps the owner and group of a file', (t) => {
  if (process.getuid?.() !== 0) return t.skip('only root can hand a file to another user');
  const dir = project('fix-owner');
  const file = path.join(dir, 'theirs.fj.md');
  fs.writeFileSync(file, FIXABLE);
  fs.chownSync(file, 4321, 4322);
  const r = fenjie(['check', '--fix', file]);
  assert.equal(r.code, 0, r.err);
  assert.equal(fs.readFileSync(file, 'utf8'), FIXED);
  const st = fs.statSync(file);
  assert.deepEqual([st.uid, st.gid], [4321, 4322]);
});

test('check --fix of a hard-linked file fixes it under both names', () => {
  const dir = project('fix-hard-link');
  const a = path.join(dir, 'a.fj.md');
  const b = path.join(dir, 'b-link.md');
  fs.writeFileSync(a, FIXABLE);
  fs.linkSync(a, b);
  const ino = fs.statSync(a).ino;
  const h = fenjie(['check', '--fix', a]);
  assert.equal(h.code, 0, h.err);
  assert.equal(fs.readFileSync(b, 'utf8'), FIXED, 'the other name sees the fix');
  assert.equal(fs.statSync(a).ino, ino, 'the same file, not a new one');
  assert.equal(fs.statSync(a).nlink, 2);
  assert.deepEqual(fs.readdirSync(dir).filter((f) => f.startsWith('.') && f !== '.git'), [], 'no backup or temporary file is left');
});

test('check --fix that cannot write says so and counts no fix as made', (t) => {
  const dir = project('fix-fail');
  const file = path.join(dir, 'a.fj.md');
  fs.writeFileSync(file, FIXABLE);
  // Tests run as root, whom permissions do not stop: an immutable folder does (no new file in it).
  if (spawnSync('chattr', ['+i', dir]).status !== 0) return t.skip('chattr +i is not available here');
  try {
    const r = fenjie(['check', '--fix', file]);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /fenjie：.*a\.fj\.md：无法写入（.+）。原有文件未被改动。本文档的 1 处修正没有保存。/);
    assert.match(r.err, /已自动修正 0 处（另有 1 处修正因写入失败没有保存）/);
    assert.doesNotMatch(r.err, /已自动修正 1 处/);
    // The findings are those of the file as it is.
    assert.match(r.out, /halfwidth-punctuation/);
  } finally {
    spawnSync('chattr', ['-i', dir]);
  }
  assert.equal(fs.readFileSync(file, 'utf8'), FIXABLE);
});

test('check folder/ follows links to documents and folders, once each, and survives a link loop', () => {
  const dir = project('links');
  const elsewhere = path.join(tmp, 'elsewhere');
  fs.mkdirSync(path.join(elsewhere, 'deep'), { recursive: true });
  fs.writeFileSync(path.join(elsewhere, 'deep', 'far.fj.md'), CLEAN);
  fs.writeFileSync(path.join(elsewhere, 'single.md'), CLEAN);
  fs.writeFileSync(path.join(dir, 'here.fj.md'), CLEAN);
  fs.symlinkSync(elsewhere, path.join(dir, 'linked-folder'));
  fs.symlinkSync(path.join(elsewhere, 'single.md'), path.join(dir, 'linked.fj.md'));
  fs.symlinkSync(path.join(dir, 'here.fj.md'), path.join(dir, 'again.fj.md'));
  fs.symlinkSync(dir, path.join(dir, 'loop')); // a link back up
  fs.symlinkSync(path.join(dir, 'nowhere'), path.join(dir, 'broken.fj.md'));
  const r = fenjie(['check', '--format', 'json', dir]);
  assert.equal(r.code, 0, r.err);
  const t = fenjie(['check', dir]);
  assert.match(t.err, /共检查 3 个文档/, 'here (or again), linked, linked-folder/deep/far; each once');
});

test('a UTF-16 file is called UTF-16, not binary', () => {
  const dir = project('utf16');
  const le = path.join(dir, 'le.fj.md');
  fs.writeFileSync(le, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(CLEAN, 'utf16le')]));
  const noBom = path.join(dir, 'nobom.fj.md');
  fs.writeFileSync(noBom, Buffer.from('- task one\n- task two (lead: x)\n', 'utf16le'));
  for (const file of [le, noBom]) {
    const r = fenjie(['check', file]);
    assert.equal(r.code, 2);
    assert.match(r.err, /这是 UTF-16 编码的文本，请以 UTF-8 编码另存后再试/);
    assert.doesNotMatch(r.err, /二进制/);
  }
});

test('control characters of a document reach the terminal escaped; Chinese stays as it is', () => {
  const dir = project('controls');
  fs.writeFileSync(path.join(dir, '单位名录.yaml'), '单位:\n  - 财政局\n');
  const file = path.join(dir, 'a.fj.md');
  fs.writeFileSync(file, '- 任务。（牵头单位：财政\x1b[2J\x1b[31m\x07局\u202e；完成时限：长期坚持）\n');
  const r = fenjie(['check', file]);
  assert.notEqual(r.code, 2, r.err);
  assert.doesNotMatch(r.out, /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]/, 'no raw control character');
  assert.match(r.out, /:1:\d+: 警告 unknown-unit .*财政\\x1b\[2J\\x1b\[31m\\x07局\\u202e/);
});

test('export --to json | true ends quietly, without an EPIPE stack trace', () => {
  const big = path.join(project('epipe'), 'big.fj.md');
  fs.writeFileSync(big, Array.from({ length: 3000 }, (_, i) => `- 任务${i}。（牵头单位：财政局；完成时限：长期坚持）\n`).join(''));
  const r = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" export "${big}" --to json | true`], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.stderr, '');
  assert.equal(r.status, 0);
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

test('fenjie rules lists every code a user can see, in text and in JSON', () => {
  const json = fenjie(['rules', '--format', 'json']);
  assert.equal(json.code, 0, json.err);
  const rows = JSON.parse(json.out) as { code: string; severity: string; description: string; fix: string; canDisable: boolean; docs: string }[];
  const codes = rows.map((r) => r.code);
  for (const c of ['missing-lead', 'numbering', 'halfwidth-punctuation', 'duplicate-field', 'front-matter', 'directory', 'document']) assert.ok(codes.includes(c), c);
  const docs = fs.readFileSync(path.join(ROOT, 'docs', 'dialect.md'), 'utf8');
  for (const r of rows) {
    assert.match(r.severity, /^(error|warning|information)$/);
    assert.match(r.description, /[\u4e00-\u9fff]/);
    assert.match(r.fix, /^(safe|offered|none)$/);
    assert.equal(r.docs, `docs/dialect.md#${r.code}`);
    assert.ok(docs.includes(`\n### ${r.code}\n`), `docs/dialect.md has no section for ${r.code}`);
  }
  assert.equal(rows.find((r) => r.code === 'numbering')?.fix, 'safe');
  assert.equal(rows.find((r) => r.code === 'document')?.canDisable, false);
  const text = fenjie(['rules']);
  assert.equal(text.code, 0);
  for (const c of codes) assert.match(text.out, new RegExp(`^${c}  `, 'm'));
  assert.match(text.out, /^numbering {2}警告 {2}可自动修正（改为应有的编号）$/m);
  assert.match(text.err, new RegExp(`共 ${codes.length} 项`));
  const bad = fenjie(['rules', '--format', 'xml']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--format 只能是 text 或 json/);
});
