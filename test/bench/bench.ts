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
 * noise, and prints medians and the ratio check/remark (of the medians), with the lowest
 * and highest ratio of a single round to show how noisy the machine was. The ratio is the
 * number to quote: these machines are shared, absolute times are not comparable across runs.
 *
 * Each size has a time budget: when a round is slow (micromark 4.0.3 takes seconds per
 * parse of the large document), fewer rounds are timed (an odd number, at least 3) so the
 * whole run stays near a minute. GC is not forced between samples: on these machines a
 * forced full GC makes the next parse markedly slower (the heap has to grow again), which
 * would measure the collector rather than the code.
 *
 * Exits 0 whatever the numbers: a benchmark, not a test.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import { analyze, buildModel, checkModel, linkModel, runRules, Directory, RULES, type EngineHost } from '../../server/src/engine/index.ts';
import { generateDirectory, generateDocument } from './generate.ts';
import { lspBench } from './lsp-bench.ts';
import { exportBench } from './export-bench.ts';

/** The check may cost at most this many times a bare remark parse of the 2,000-task document. */
const LIMIT = 1.3;
const FILE = '/virtual/doc.fj.md';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface Case {
  tasks: number;
  /** Untimed rounds of (a) and (b) first. */
  warmup: number;
  /** Timed rounds at most. */
  runs: number;
  /** Stop timing rounds (at an odd count, at least MIN_RUNS) when the next two would exceed this. */
  budgetMs: number;
}

const MIN_RUNS = 3;
const CASES: Case[] = [
  { tasks: 200, warmup: 5, runs: 21, budgetMs: 12_000 },
  { tasks: 2000, warmup: 1, runs: 7, budgetMs: 35_000 },
];

const directoryText = generateDirectory();
const host: EngineHost = {
  readFile: (file) => (file.endsWith('单位名录.yaml') ? directoryText : undefined),
};

function time(fn: () => unknown): number {
  return timed(fn)[0];
}

function timed<T>(fn: () => T): [ms: number, value: T] {
  const start = performance.now();
  const value = fn();
  return [performance.now() - start, value];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/**
 * The folder of `pkg` as Node resolves it from `fromDir` (nearest node_modules up the tree).
 * An npm `overrides` entry may nest a package (node_modules/mdast-util-from-markdown/
 * node_modules/micromark), so the root node_modules/micromark is not always the one in use.
 */
function packageDir(pkg: string, fromDir: string): string | undefined {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', pkg);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** Versions along the chain remark-parse → mdast-util-from-markdown → micromark → micromark-core-commonmark. */
function parserVersions(): Record<string, string> {
  const out: Record<string, string> = {};
  let dir: string | undefined = ROOT;
  for (const pkg of ['remark-parse', 'mdast-util-from-markdown', 'micromark', 'micromark-core-commonmark']) {
    dir = dir === undefined ? undefined : packageDir(pkg, dir);
    out[pkg] = dir ? (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version : 'not found';
  }
  return out;
}

const remark = () => unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm);

function pad(s: string | number, n: number): string {
  return String(s).padStart(n);
}

interface Measured {
  remark: number;
  check: number;
  runs: number;
  /** Lowest and highest check/remark of one round: how noisy the machine was. */
  spread: [number, number];
}

function measure(c: Case, text: string): Measured {
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
  // The sanity run above was one warm-up of (b).
  for (let i = 0; i < c.warmup; i++) {
    a();
    if (i > 0) b();
  }
  const ta: number[] = [];
  const tb: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < c.runs; i++) {
    // ABBA: neither side always runs first.
    if (i % 2 === 0) {
      ta.push(time(a));
      tb.push(time(b));
    } else {
      tb.push(time(b));
      ta.push(time(a));
    }
    const done = i + 1;
    const elapsed = performance.now() - t0;
    if (done >= MIN_RUNS && done % 2 === 1 && elapsed + (2 * elapsed) / done > c.budgetMs) break;
  }
  const pairs = ta.map((x, i) => (tb[i] as number) / x);
  return { remark: median(ta), check: median(tb), runs: ta.length, spread: [Math.min(...pairs), Math.max(...pairs)] };
}

/** Where the check's time goes, on one document: medians of each stage run alone. */
function breakdown(text: string, runs: number): void {
  const dirFile = '/virtual/单位名录.yaml';
  const stages: Record<string, number[]> = { 'remark parse': [], 'buildModel (incl. parse)': [], 'new Directory': [], linkModel: [], 'runRules (all)': [], 'checkModel (dir+link+rules)': [] };
  const perRule: Record<string, number[]> = {};
  const off = Object.fromEntries(RULES.map((r) => [r.code, 'off' as const]));
  for (let i = 0; i < runs; i++) {
    stages['remark parse']?.push(time(() => remark().parse(text)));
    const [buildMs, model] = timed(() => buildModel(text));
    stages['buildModel (incl. parse)']?.push(buildMs);
    const [dirMs, dir] = timed(() => new Directory(dirFile, directoryText));
    stages['new Directory']?.push(dirMs);
    stages.linkModel?.push(time(() => linkModel(model, dir)));
    stages['runRules (all)']?.push(time(() => runRules(model, dir, '单位名录.yaml')));
    for (const code of new Set(RULES.map((r) => r.code))) {
      (perRule[code] ??= []).push(time(() => runRules(model, dir, '单位名录.yaml', { ...off, [code]: 'warning' })));
    }
    stages['checkModel (dir+link+rules)']?.push(time(() => checkModel(model, { file: FILE, host })));
  }
  const parse = median(stages['remark parse'] as number[]);
  console.log(`\nWhere the check's time goes (${runs} runs, medians, ms; share of one remark parse):`);
  const row = (name: string, xs: number[]) => console.log(`  ${name.padEnd(30)} ${pad(median(xs).toFixed(1), 9)}  ${pad(((median(xs) / parse) * 100).toFixed(1), 6)} %`);
  for (const [name, xs] of Object.entries(stages)) row(name, xs);
  console.log('  rules, each alone:');
  for (const [code, xs] of Object.entries(perRule).sort((x, y) => median(y[1]) - median(x[1]))) row('  ' + code, xs);
}

async function main(): Promise<void> {
  const started = performance.now();
  const v = parserVersions();
  console.log(`fenjie bench — node ${process.version}, micromark ${v['micromark']} (micromark-core-commonmark ${v['micromark-core-commonmark']}, mdast-util-from-markdown ${v['mdast-util-from-markdown']}, remark-parse ${v['remark-parse']})`);
  const rows: Array<Measured & { c: Case; bytes: number }> = [];
  const texts = new Map<number, string>();
  for (const c of CASES) {
    const text = generateDocument(c.tasks);
    texts.set(c.tasks, text);
    rows.push({ c, bytes: Buffer.byteLength(text), ...measure(c, text) });
  }
  console.log('');
  console.log(`${'size'.padStart(9)}  ${'tasks'.padStart(6)}  ${'runs'.padStart(4)}  ${'remark ms'.padStart(10)}  ${'check ms'.padStart(10)}  ${'check/remark'.padStart(12)}  ${'per round'.padStart(11)}`);
  for (const r of rows) {
    console.log(
      `${pad((r.bytes / 1000).toFixed(0) + ' KB', 9)}  ${pad(r.c.tasks, 6)}  ${pad(r.runs, 4)}  ${pad(r.remark.toFixed(1), 10)}  ${pad(r.check.toFixed(1), 10)}  ${pad(
        (r.check / r.remark).toFixed(2) + 'x',
        12,
      )}  ${pad(`${r.spread[0].toFixed(2)}–${r.spread[1].toFixed(2)}`, 11)}`,
    );
  }
  const big = rows.find((r) => r.c.tasks === 2000);
  if (big) {
    const ratio = big.check / big.remark;
    console.log(`\n2,000 tasks: check/remark = ${ratio.toFixed(2)}x, limit ${LIMIT}x: ${ratio <= LIMIT ? 'OK' : 'OVER'}`);
  }
  if (process.argv.includes('--breakdown')) breakdown(texts.get(2000) as string, 3);
  await lspBench();
  exportBench(ROOT);
  console.log(`\n(total ${((performance.now() - started) / 1000).toFixed(1)} s)`);
}

void main();
