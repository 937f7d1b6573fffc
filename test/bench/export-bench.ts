/**
 * Export of the 2,000-task document to Word, against pandoc turning the same Markdown into
 * .docx, in one run: both as the whole command a user runs, file in, file out (process
 * start included on both sides). Runs alternate (ABBA) so that neither side always goes first.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateDirectory, generateDocument } from './generate.ts';

const LIMIT = 1.0;
const RUNS = 5;

function timeCommand(cmd: string, args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

export function exportBench(root: string): void {
  const pandoc = spawnSync('pandoc', ['--version'], { encoding: 'utf8' });
  if (pandoc.error || pandoc.status !== 0) {
    console.log('\nWord export vs pandoc: pandoc is not installed (Debian package pandoc); not measured.');
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fenjie-export-bench-'));
  try {
    const doc = path.join(dir, 'doc.fj.md');
    fs.writeFileSync(doc, generateDocument(2000));
    fs.writeFileSync(path.join(dir, '单位名录.yaml'), generateDirectory());
    const fenjie = [path.join(root, 'server', 'bin', 'fenjie.js'), 'export', doc, '--to', 'docx', '-o', path.join(dir, 'fenjie.docx')];
    const pandocArgs = ['--from', 'markdown', doc, '-o', path.join(dir, 'pandoc.docx')];
    // One warm-up each: the file cache, and each program's first start.
    timeCommand(process.execPath, fenjie);
    timeCommand('pandoc', pandocArgs);
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      if (i % 2 === 0) {
        ours.push(timeCommand(process.execPath, fenjie));
        theirs.push(timeCommand('pandoc', pandocArgs));
      } else {
        theirs.push(timeCommand('pandoc', pandocArgs));
        ours.push(timeCommand(process.execPath, fenjie));
      }
    }
    const ratio = median(ours) / median(theirs);
    const version = (pandoc.stdout.split('\n')[0] ?? '').trim();
    console.log(`\nWord export, 2,000 tasks, whole command file → .docx (${RUNS} runs each, medians; ${version})`);
    console.log(`  fenjie export --to docx  ${median(ours).toFixed(0).padStart(7)} ms  (merged cells, GB/T 9704 layout)`);
    console.log(`  pandoc → docx            ${median(theirs).toFixed(0).padStart(7)} ms  (no table: the Markdown as paragraphs and lists)`);
    console.log(`  fenjie/pandoc = ${ratio.toFixed(2)}x, limit ${LIMIT.toFixed(1)}x: ${ratio <= LIMIT ? 'OK' : 'OVER'}`);
    console.log(`  sizes: fenjie ${(fs.statSync(path.join(dir, 'fenjie.docx')).size / 1024).toFixed(0)} KB, pandoc ${(fs.statSync(path.join(dir, 'pandoc.docx')).size / 1024).toFixed(0)} KB`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
