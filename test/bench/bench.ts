/**
 * Benchmark: the full fenjie check against remark parsing alone, on generated breakdowns.
 *
 *   node --import tsx test/bench/bench.ts                 (npm run bench)
 *   node --import tsx test/bench/bench.ts --breakdown     (also: where the check's time goes)
 *
 * For documents of 200 and 2,000 tasks, in one run, it measures
 *   (a) remark: unified + remark-parse + remark-frontmatter + remark-gfm, parse only;
 *   (b) check:  analyze(text, { file, host }) — parse, model, directory, link, every rule;
 * warming up first, then alternating (a) and (b) (ABBA order) so both share the machine's
 * noise, and prints medians and the ratio check/remark. The ratio is the number to quote:
 * these machines are shared, absolute times are not comparable across runs.
 *
 * Exits 0 whatever the numbers: a benchmark, not a test. Runs in well under a minute.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import { analyze, buildModel, checkModel, linkModel, runRules, Directory, RULES, type EngineHost } from '../../server/src/engine/index.ts';
import { generateDirectory, generateDocument } from './generate.ts';

/** The check may cost at most this many times a bare remark parse of the 2,000-task document. */
const LIMIT = 1.3;
const FILE = '/virtual/doc.fj.md';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface Case {
  tasks: number;
  warmup: number;
  runs: number;
}

const CASES: Case[] = [
  { tasks: 200, warmup: 5, runs: 21 },
  { tasks: 2000, warmup: 1, runs: 7 },
];

const directoryText = generateDirectory();
const host: EngineHost = {
  readFile: (file) => (file.endsWith('单位名录.yaml') ? directoryText : undefined),
};

// Collect garbage before every sample, so one side does not pay for the other's garbage.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function time(fn: () => unknown): number {
  gc();
  const start = performance.now();
  fn();
  return performance.now() - start;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

function version(pkg: string): string {
  try {
    return (JSON.parse(readFileSync(path.join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'not found';
  }
}

const remark = () => unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm);

function pad(s: string | number, n: number): string {
  return String(s).padStart(n);
}

function measure(c: Case, text: string): { remark: number; check: number } {
  const a = () => remark().parse(text);
  const b = () => analyze(text, { file: FILE, host });
  // Sanity: the generated document must be read as meant, or the numbers mean nothing.
  const result = b();
  const tasks = result.model.breakdowns.reduce((n, bd) => n + bd.tasks.length, 0);
  if (tasks !== c.tasks) throw new Error(`generated ${c.tasks} tasks, the engine read ${tasks}`);
  if (!result.directory) throw new Error('the 单位名录 was not found through the host');
  if (result.diagnostics.length > 0) {
    const first = result.diagnostics[0];
    console.log(`  note: ${result.diagnostics.length} diagnostics on the generated ${c.tasks}-task document (first: ${first?.code} ${first?.message})`);
  }
  for (let i = 0; i < c.warmup; i++) {
    a();
    b();
  }
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < c.runs; i++) {
    // ABBA: neither side always runs first.
    if (i % 2 === 0) {
      ta.push(time(a));
      tb.push(time(b));
    } else {
      tb.push(time(b));
      ta.push(time(a));
    }
  }
  return { remark: median(ta), check: median(tb) };
}

/** Where the check's time goes, on one document: medians of each stage run alone. */
function breakdown(text: string, runs: number): void {
  const dirFile = '/virtual/单位名录.yaml';
  const stages: Record<string, number[]> = { 'remark parse': [], 'buildModel (incl. parse)': [], 'new Directory': [], linkModel: [], 'runRules (all)': [], 'checkModel (dir+link+rules)': [] };
  const perRule: Record<string, number[]> = {};
  const off = Object.fromEntries(RULES.map((r) => [r.code, 'off' as const]));
  for (let i = 0; i < runs; i++) {
    stages['remark parse']?.push(time(() => remark().parse(text)));
    let model = buildModel(text);
    stages['buildModel (incl. parse)']?.push(time(() => (model = buildModel(text))));
    let dir: Directory | undefined;
    stages['new Directory']?.push(time(() => (dir = new Directory(dirFile, directoryText))));
    stages.linkModel?.push(time(() => linkModel(model, dir)));
    stages['runRules (all)']?.push(time(() => runRules(model, dir, '单位名录.yaml')));
    for (const code of new Set(RULES.map((r) => r.code))) {
      (perRule[code] ??= []).push(time(() => runRules(model, dir, '单位名录.yaml', { ...off, [code]: 'warning' })));
    }
    const fresh = buildModel(text);
    stages['checkModel (dir+link+rules)']?.push(time(() => checkModel(fresh, { file: FILE, host })));
  }
  const parse = median(stages['remark parse'] as number[]);
  console.log(`\nWhere the check's time goes (${runs} runs, medians, ms; share of one remark parse):`);
  const row = (name: string, xs: number[]) => console.log(`  ${name.padEnd(30)} ${pad(median(xs).toFixed(1), 9)}  ${pad(((median(xs) / parse) * 100).toFixed(1), 6)} %`);
  for (const [name, xs] of Object.entries(stages)) row(name, xs);
  console.log('  rules, each alone:');
  for (const [code, xs] of Object.entries(perRule).sort((x, y) => median(y[1]) - median(x[1]))) row('  ' + code, xs);
}

function main(): void {
  const started = performance.now();
  console.log(`fenjie bench — node ${process.version}, micromark ${version('micromark')}, micromark-core-commonmark ${version('micromark-core-commonmark')}`);
  const rows: Array<{ c: Case; bytes: number; remark: number; check: number }> = [];
  const texts = new Map<number, string>();
  for (const c of CASES) {
    const text = generateDocument(c.tasks);
    texts.set(c.tasks, text);
    rows.push({ c, bytes: Buffer.byteLength(text), ...measure(c, text) });
  }
  console.log('');
  console.log(`${'size'.padStart(9)}  ${'tasks'.padStart(6)}  ${'runs'.padStart(4)}  ${'remark ms'.padStart(10)}  ${'check ms'.padStart(10)}  ${'check/remark'.padStart(12)}`);
  for (const r of rows) {
    console.log(
      `${pad((r.bytes / 1000).toFixed(0) + ' KB', 9)}  ${pad(r.c.tasks, 6)}  ${pad(r.c.runs, 4)}  ${pad(r.remark.toFixed(1), 10)}  ${pad(r.check.toFixed(1), 10)}  ${pad(
        (r.check / r.remark).toFixed(2) + 'x',
        12,
      )}`,
    );
  }
  const big = rows.find((r) => r.c.tasks === 2000);
  if (big) {
    const ratio = big.check / big.remark;
    console.log(`\n2,000 tasks: check/remark = ${ratio.toFixed(2)}x, limit ${LIMIT}x: ${ratio <= LIMIT ? 'OK' : 'OVER'}`);
  }
  if (process.argv.includes('--breakdown')) breakdown(texts.get(2000) as string, 5);
  console.log(`\n(total ${((performance.now() - started) / 1000).toFixed(1)} s)`);
}

main();
