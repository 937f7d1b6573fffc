/**
 * The language server over its protocol, on the 2,000-task document: time from an edit to
 * its diagnostics (debounce included), completion and hover, as p50 and p95, and the
 * server's memory. Run by `npm run bench` after the engine's numbers.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateDirectory, generateDocument } from './generate.ts';
import { LspClient } from '../lsp-client.ts';
import { SERVER_NODE_FLAGS } from '../../server/src/protocol.ts';

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
}

function rssMb(pid: number | undefined): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return kb / 1024;
  } catch {
    return NaN;
  }
}

export async function lspBench(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fenjie-lsp-bench-'));
  fs.mkdirSync(path.join(dir, '.git'));
  const text = generateDocument(2000);
  fs.writeFileSync(path.join(dir, '单位名录.yaml'), generateDirectory());
  fs.writeFileSync(path.join(dir, 'doc.fj.md'), text);
  const client = new LspClient(dir);
  try {
    await client.start();
    const uri = client.open('doc.fj.md', text);
    await client.diagnostics(uri, 1);
    const lines = text.split('\n');
    // Task lines: "N. …" at the margin. Edits go into task text at spread-out places.
    const taskLines = lines.map((l, i) => (/^\d+\. /.test(l) ? i : -1)).filter((i) => i >= 0);
    const editTimes: number[] = [];
    for (let k = 0; k < 60; k++) {
      const line = taskLines[(k * 37) % taskLines.length] as number;
      const at = { line, character: (lines[line] as string).length };
      const t0 = performance.now();
      const version = client.edit(uri, { start: at, end: at }, k % 2 ? '改' : '');
      await client.diagnostics(uri, version);
      editTimes.push(performance.now() - t0);
    }
    // Completion after a 牵头单位： field, hover on a unit.
    const fieldLine = lines.findIndex((l) => l.includes('牵头单位：'));
    const colon = (lines[fieldLine] as string).indexOf('：') + 1;
    const completionTimes: number[] = [];
    const hoverTimes: number[] = [];
    for (let k = 0; k < 60; k++) {
      let t0 = performance.now();
      await client.request('textDocument/completion', { textDocument: { uri }, position: { line: fieldLine, character: colon } });
      completionTimes.push(performance.now() - t0);
      t0 = performance.now();
      await client.request('textDocument/hover', { textDocument: { uri }, position: { line: fieldLine, character: colon + 1 } });
      hoverTimes.push(performance.now() - t0);
    }
    const mem = rssMb(client.child.pid);
    const row = (name: string, xs: number[], limit: number): string =>
      `${name.padEnd(22)} ${percentile(xs, 50).toFixed(1).padStart(8)} ${percentile(xs, 95).toFixed(1).padStart(8)}   p95 limit ${limit} ms: ${percentile(xs, 95) <= limit ? 'OK' : 'OVER'}`;
    console.log(`\nlanguage server, 2,000 tasks over JSON-RPC (ms), started as the extension starts it (node ${SERVER_NODE_FLAGS.join(' ')})`);
    console.log(`${''.padEnd(22)} ${'p50'.padStart(8)} ${'p95'.padStart(8)}`);
    console.log(row('edit → diagnostics', editTimes, 100));
    console.log(row('completion', completionTimes, 10));
    console.log(row('hover', hoverTimes, 10));
    console.log(`server memory (RSS): ${mem.toFixed(0)} MB, limit 200 MB: ${mem <= 200 ? 'OK' : 'OVER'}`);
  } finally {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
