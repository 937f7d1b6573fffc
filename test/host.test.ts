import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { FileProblem, readText, writeBack, writeFileAtomic } from '../server/src/host/files.ts';
import { LspClient } from './lsp-client.ts';

/*
 * The host module (server/src/host/files.ts): how the CLI and the language server read and
 * write files. Reads refuse what is not a regular file without waiting; a write-back refuses
 * a file changed since it was read.
 */

let tmp: string;
before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fenjie-host-'));
});
after(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

function problem(f: () => unknown): FileProblem {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof FileProblem, String(e));
    return e;
  }
  assert.fail('expected a FileProblem');
}

test('a read refuses devices, FIFOs and links to them at once, and reads no more than the cap', () => {
  const fifo = path.join(tmp, 'fifo');
  spawnSync('mkfifo', [fifo]);
  fs.symlinkSync('/dev/zero', path.join(tmp, 'zero-link'));
  for (const file of ['/dev/zero', fifo, path.join(tmp, 'zero-link')]) {
    const p = problem(() => readText(file, 1024));
    assert.equal(p.kind, 'not-regular', file);
    assert.match(p.message, /不是普通文件（是(字符设备|命名管道 FIFO)），fenjie 只读取普通文件/);
  }
  const big = path.join(tmp, 'big');
  fs.writeFileSync(big, 'x'.repeat(5000));
  assert.equal(problem(() => readText(big, 4096)).kind, 'too-large');
  assert.equal(readText(big, 5000).text.length, 5000);
  assert.equal(problem(() => readText(path.join(tmp, 'nope'), 10)).kind, 'missing');
  assert.equal(problem(() => readText(tmp, 10)).kind, 'directory');
});

test('a write-back refuses a file that changed since it was read, and leaves the change', () => {
  const file = path.join(tmp, 'raced.fj.md');
  fs.writeFileSync(file, '1. 甲\n');
  const read = readText(file, 1 << 20);
  // The user saves in the editor while the fix is computed: same size, even the same times.
  const st = fs.statSync(file);
  fs.writeFileSync(file, '1. 乙\n');
  fs.utimesSync(file, st.atime, st.mtime);
  const p = problem(() => writeBack(file, '1. 丙\n', read.stamp));
  assert.equal(p.kind, 'changed');
  assert.match(p.message, /读取之后文件已被修改.*没有写入/);
  assert.equal(fs.readFileSync(file, 'utf8'), '1. 乙\n');

  // Replaced by another file (an editor that saves by rename).
  const again = readText(file, 1 << 20);
  fs.writeFileSync(file + '.new', '1. 乙\n');
  fs.renameSync(file + '.new', file);
  assert.equal(problem(() => writeBack(file, '1. 丁\n', again.stamp)).kind, 'changed');
  // Deleted.
  const gone = readText(file, 1 << 20);
  fs.rmSync(file);
  assert.equal(problem(() => writeBack(file, '1. 戊\n', gone.stamp)).kind, 'changed');
  assert.ok(!fs.existsSync(file));
  assert.deepEqual(fs.readdirSync(tmp).filter((f) => f.endsWith('.tmp')), [], 'no temporary file is left');
});

test('a write-back keeps mode, hard links and links; an unchanged file is written', () => {
  const file = path.join(tmp, 'kept.fj.md');
  fs.writeFileSync(file, 'a\n');
  fs.chmodSync(file, 0o640);
  const link = path.join(tmp, 'kept-link.fj.md');
  fs.symlinkSync(file, link);
  const r = writeBack(link, 'b\n', readText(link, 100).stamp);
  assert.equal(r.how, 'replaced');
  assert.ok(fs.lstatSync(link).isSymbolicLink());
  assert.equal(fs.readFileSync(file, 'utf8'), 'b\n');
  assert.equal(fs.statSync(file).mode & 0o7777, 0o640);

  const hard = path.join(tmp, 'kept-hard.md');
  fs.linkSync(file, hard);
  const h = writeBack(file, 'c\n', readText(file, 100).stamp);
  assert.equal(h.how, 'in-place');
  assert.equal(fs.readFileSync(hard, 'utf8'), 'c\n');
  assert.equal(fs.statSync(file).ino, fs.statSync(hard).ino);
  assert.deepEqual(fs.readdirSync(tmp).filter((f) => f.includes('fenjie-备份')), [], 'the copy is removed once written');

  // An older copy (a write that failed half-way) is never overwritten: nothing is written.
  fs.writeFileSync(path.join(tmp, '.kept.fj.md.fenjie-备份'), 'original\n');
  const p = problem(() => writeBack(file, 'd\n', readText(file, 100).stamp));
  assert.match(p.message, /旁边已有备份 .*\.kept\.fj\.md\.fenjie-备份.*没有写入/);
  assert.equal(fs.readFileSync(hard, 'utf8'), 'c\n');
  assert.equal(fs.readFileSync(path.join(tmp, '.kept.fj.md.fenjie-备份'), 'utf8'), 'original\n');
});

test('an atomic write makes a new file and replaces an old one, keeping its mode, leaving no temporary file', () => {
  const out = path.join(tmp, 'out.json');
  writeFileAtomic(out, '{}');
  assert.equal(fs.readFileSync(out, 'utf8'), '{}');
  fs.chmodSync(out, 0o600);
  writeFileAtomic(out, '[]');
  assert.equal(fs.readFileSync(out, 'utf8'), '[]');
  assert.equal(fs.statSync(out).mode & 0o777, 0o600);
  assert.deepEqual(fs.readdirSync(tmp).filter((f) => f.endsWith('.tmp')), []);
});

test('the language server: a 单位名录 that is a FIFO or a link to /dev/zero gives a diagnostic, and the server keeps answering', { timeout: 60_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fenjie-host-lsp-'));
  fs.mkdirSync(path.join(dir, '.git'));
  spawnSync('mkfifo', [path.join(dir, 'fifo.yaml')]);
  fs.symlinkSync('/dev/zero', path.join(dir, 'zero.yaml'));
  fs.mkdirSync(path.join(dir, 'found'));
  fs.symlinkSync(path.join(dir, 'fifo.yaml'), path.join(dir, 'found', '单位名录.yaml'));
  const body = '- 任务。（牵头单位：财政局；完成时限：长期坚持）\n';
  fs.writeFileSync(path.join(dir, 'fifo.fj.md'), `---\n单位名录: fifo.yaml\n---\n\n${body}`);
  fs.writeFileSync(path.join(dir, 'zero.fj.md'), `---\n单位名录: zero.yaml\n---\n\n${body}`);
  fs.writeFileSync(path.join(dir, 'found', 'a.fj.md'), body);
  const client = new LspClient(dir, { diagnostics: { debounceMs: 20 } });
  try {
    await client.start();
    const cases: Array<[string, 'fifo' | 'zero', number]> = [
      ['fifo.fj.md', 'fifo', 1],
      ['zero.fj.md', 'zero', 1],
      ['found/a.fj.md', 'fifo', 2],
    ];
    for (const [rel, kind, severity] of cases) {
      const uri = client.open(rel);
      const d = await client.diagnostics(uri, 1);
      const front = d.diagnostics.find((x) => x.code === 'front-matter');
      assert.ok(front, `${rel}: ${JSON.stringify(d.diagnostics)}`);
      assert.equal(front.severity, severity, rel);
      assert.match(String(front.message), kind === 'fifo' ? /不是普通文件（是命名管道 FIFO）/ : /不是普通文件（是字符设备）/, rel);
      assert.match(String(front.message), /单位名称检查已跳过/, rel);
    }
    // Still answering.
    const symbols = await client.request<unknown[]>('textDocument/documentSymbol', { textDocument: { uri: client.uri('fifo.fj.md') } });
    assert.ok(Array.isArray(symbols));
  } finally {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
