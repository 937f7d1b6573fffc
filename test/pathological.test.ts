/**
 * Pathological inputs: every input under the size limit is handled in linear time. Modelled
 * on cmark's test/pathological_tests.py. Run:
 *   node --import tsx --test test/pathological.test.ts
 *
 * Each case is a generator `(n) => text` and what is run on the text (the engine's analyze,
 * or an editor feature on the analysed document). Each runs in a child process of this file
 * (FENJIE_PATHOLOGICAL_CHILD=1), killed when it takes longer than KILL_MS, so a regression
 * cannot hang the suite. The child reports:
 * - the guard: the CPU time of a run at the case's own size (the reproduction's, where
 *   there is one), which must be under GUARD_MS;
 * - linearity: the best of RUNS runs at a size n where a run takes at least MIN_MS and at 2n;
 *   t(2n)/t(n) must be at most MAX_RATIO (a quadratic case gives about 4). A failed guard or
 *   ratio is measured again, up to twice, before the test fails: the machine may be busy.
 * Times are CPU times of the child (process.cpuUsage), not wall clock.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyze, MAX_DOCUMENT_LENGTH } from '../server/src/engine/index.ts';
import { provideCompletion } from '../server/src/service/completion.ts';
import { formatDocument } from '../server/src/service/formatting.ts';
import { provideHover } from '../server/src/service/hover.ts';
import { provideInlayHints } from '../server/src/service/inlayHints.ts';
import { provideDocumentSymbols, provideFoldingRanges } from '../server/src/service/symbols.ts';
import type { ServiceDocument } from '../server/src/service/types.ts';
import { memoryWorkspace } from './service-helpers.ts';

const THIS_FILE = fileURLToPath(import.meta.url);
const ROOT = path.resolve(path.dirname(THIS_FILE), '..');
const CHILD_ENV = 'FENJIE_PATHOLOGICAL_CHILD';
/** A child still running after this long is killed: a hang detector, not a speed requirement. */
const KILL_MS = 30_000;
const GUARD_MS = 1000;
const MIN_MS = 80;
const RUNS = 5;
const MAX_RATIO = 2.5;
const LANES = 2;

type Feature = (text: string) => unknown;

interface Case {
  input: (n: number) => string;
  /** What is timed; analyze when absent. */
  run?: Feature;
  /** The size the guard runs at (the reproduction's). */
  size: number;
  /** Why the case is here. */
  note?: string;
}

const FILE = '/w/表.fj.md';

function serviceDoc(text: string): { ws: ReturnType<typeof memoryWorkspace>; doc: ServiceDocument } {
  const ws = memoryWorkspace({ [FILE]: text });
  return { ws, doc: [...ws.documents()][0] as ServiceDocument };
}

/** The LSP position of an offset. */
function positionOf(text: string, offset: number): { line: number; character: number } {
  const lines = text.slice(0, offset).split(/\r\n|\r|\n/);
  return { line: lines.length - 1, character: (lines[lines.length - 1] as string).length };
}

const symbols: Feature = (t) => provideDocumentSymbols(serviceDoc(t).doc);
const folding: Feature = (t) => provideFoldingRanges(serviceDoc(t).doc);
const formatting: Feature = (t) => formatDocument(serviceDoc(t).doc);
const inlayHints: Feature = (t) => {
  const { ws, doc } = serviceDoc(t);
  return provideInlayHints(ws, doc, { start: { line: 0, character: 0 }, end: positionOf(t, t.length) });
};
/** Completion and hover at the text's `‸` mark (removed before the text is analysed). */
const atMark =
  (feature: 'completion' | 'hover'): Feature =>
  (marked) => {
    const at = marked.indexOf('‸');
    const text = marked.slice(0, at) + marked.slice(at + 1);
    const { ws, doc } = serviceDoc(text);
    const p = positionOf(text, at);
    return feature === 'completion' ? provideCompletion(ws, doc, p) : provideHover(ws, doc, p);
  };

const TASK = '（牵头单位：营商环境建设局；完成时限：12月底前）';
const HEAD = '---\n年度: 2020\n---\n\n# 表\n\n## 一、类\n\n';

const CASES: Record<string, Case> = {
  // The reproductions of issue 10, part 2.
  'nested block quotes `> `×n on one line (27 took 25 s)': { input: (n) => '> '.repeat(n) + '任务', size: 27 },
  'list markers `-  `×n on one line': { input: (n) => '-  '.repeat(n) + '任务', size: 27 },
  'ordered markers `1.  `×n on one line': { input: (n) => '1.  '.repeat(n) + '任务', size: 27 },
  'tab and quote `\\t>`×n on one line': { input: (n) => '\t>'.repeat(n) + '任务', size: 27 },
  'mixed `> - 1. ` containers on one line': { input: (n) => '> - 1. '.repeat(n) + '任务', size: 8 },
  'documentSymbol: a heading with n spaces inside (80,000 took 12 s)': { input: (n) => `# 表${' '.repeat(n)}附件\n\n1. 任务${TASK}\n`, run: symbols, size: 80_000 },
  'completion: a front-matter line of n characters (80,000 took 5 s)': { input: (n) => `---\n年度: 2020\nx${' '.repeat(n)}y\n‸\n---\n\n# 表\n`, run: atMark('completion'), size: 80_000 },
  'nested brackets `[[`×n `]]`×n (20,000 took 17 s)': { input: (n) => '[['.repeat(n) + ']]'.repeat(n), size: 20_000 },
  // cmark's pathological cases, and more, through the engine.
  'nested brackets with a link reference definition': { input: (n) => `[a]: /u\n\n${'['.repeat(n)}a${']'.repeat(n)}`, size: 10_000 },
  'nested images `![`×n `]`×n': { input: (n) => '!['.repeat(n) + ']'.repeat(n), size: 10_000 },
  'many link closers with no openers `a]`×n': { input: (n) => 'a]'.repeat(n), size: 20_000 },
  'many link openers with no closers `[a`×n': { input: (n) => '[a'.repeat(n), size: 10_000 },
  'many emphasis openers with no closers `_a `×n': { input: (n) => '_a '.repeat(n), size: 10_000 },
  'backtick runs of growing length': { input: (n) => Array.from({ length: n }, (_, i) => 'e' + '`'.repeat(1 + (i % 200))).join(''), size: 2000 },
  'many `<`': { input: (n) => '<'.repeat(n), size: 40_000 },
  'many `<>`': { input: (n) => '<>'.repeat(n), size: 50_000 },
  'many link reference definitions, each used': { input: (n) => Array.from({ length: n }, (_, i) => `[${i}]: u`).join('\n') + '\n\n' + '[0] '.repeat(n), size: 1000 },
  'entities `&amp;`×n `&#1234;`×n': { input: (n) => '&amp;'.repeat(n) + '&#1234;'.repeat(n), size: 4000 },
  'a line of `|`': { input: (n) => '|'.repeat(n), size: 200_000 },
  'a table of n rows': { input: (n) => '| a | b |\n|---|---|\n' + '| x | y |\n'.repeat(n), size: 1000 },
  'a table n columns wide': { input: (n) => '|a'.repeat(n) + '\n' + '|-'.repeat(n) + '\n' + '|b'.repeat(n), size: 500 },
  'cmark-gfm table rows `aaa\\rbbb\\n-\\v\\n`×n': { input: (n) => 'aaa\rbbb\n-\v\n'.repeat(n), size: 1000 },
  'deeply nested lists (each line indented two more)': { input: (n) => Array.from({ length: n }, (_, i) => ' '.repeat(2 * (i % 40)) + '* a').join('\n'), size: 200 },
  'block quote lines `> a`×n': { input: (n) => '> a\n'.repeat(n), size: 2500 },
  'tasks with `\\r`-only line endings': { input: (n) => HEAD.replace(/\n/g, '\r') + Array.from({ length: n }, (_, i) => `${i + 1}. 任务${i}${TASK}`).join('\r'), size: 1000 },
  '`[` lines with `\\r`-only line endings': { input: (n) => '[a\r'.repeat(n), size: 2500 },
  'one line of a million characters': { input: (n) => `- ${'加强政务公开'.repeat(n)}${TASK}`, size: Math.floor(1_000_000 / 6) },
  'n spaces between two words': { input: (n) => `1. 任务${' '.repeat(n)}甲${TASK}`, size: 200_000 },
  'trailing spaces on a heading': { input: (n) => `# 表${' '.repeat(n)}\n\n1. 任务${TASK}\n`, size: 200_000 },
  'a front-matter 年度 with n spaces inside': { input: (n) => `---\n年度: "2020${' '.repeat(n)}x"\n---\n\n# 表\n`, size: 80_000 },
  'a front-matter key of n characters': { input: (n) => `---\n${'键'.repeat(n)}: 值\n---\n\n# 表\n`, size: 100_000 },
  'front matter with n anchors and aliases': { input: (n) => '---\n' + Array.from({ length: n }, (_, i) => `k${i}: &a${i} [*a${Math.max(0, i - 1)}]`).join('\n').replace('[*a0]', '[1]') + '\n---\n\n# 表\n', size: 1000 },
  'many tasks': { input: (n) => HEAD + Array.from({ length: n }, (_, i) => `${i + 1}. 任务${i}${TASK}`).join('\n'), size: 1000 },
  'www autolinks `www.a.com `×n': { input: (n) => 'www.a.com '.repeat(n), size: 2000 },
  // Quadratic inside micromark within one paragraph: such a paragraph is parsed with its inline markup literal (markdown.ts).
  'pattern `[ (](`×n (25,000 characters took 3.7 s)': { input: (n) => '[ (]('.repeat(n), size: 5000 },
  'unclosed destinations `[a](<b`×n': { input: (n) => '[a](<b'.repeat(n), size: 5000 },
  'unclosed destinations `[a](b`×n': { input: (n) => '[a](b'.repeat(n), size: 5000 },
  'nested strong emphasis `*a **a `×n … ` a** a*`×n': { input: (n) => '*a **a '.repeat(n) + ' a** a*'.repeat(n), size: 5000 },
  'many emphasis closers with no openers `a_ `×n': { input: (n) => 'a_ '.repeat(n), size: 10_000 },
  'mismatched openers and closers `*a_ `×n': { input: (n) => '*a_ '.repeat(n), size: 10_000 },
  'openers and closers multiple of 3 `a**b` `c* `×n': { input: (n) => 'a**b '.repeat(n) + 'c* '.repeat(n), size: 5000 },
  'link openers and emphasis closers `[ a_`×n': { input: (n) => '[ a_'.repeat(n), size: 10_000 },
  'escaped backticks `\\``×n': { input: (n) => '\\``'.repeat(n), size: 5000 },
  'unclosed comments `</` `<!--`×n': { input: (n) => '</ <!--'.repeat(n), size: 5000 },
  'paragraphs just under the literal bound, `[ (](`×44 each': { input: (n) => Array.from({ length: n }, () => '[ (]('.repeat(44)).join('\n\n'), size: 100 },
  // A tight list is one run of lines: its marks send it through the literal parse first (markdown.ts), then parsed as always.
  'a task list whose items have bold field names (parsed as always)': {
    input: (n) => HEAD + Array.from({ length: n }, (_, i) => `${i + 1}. 任务${i}\n   **牵头单位**：营商环境建设局\n   **完成时限**：12月底前`).join('\n'),
    size: 250,
  },
  // Editor features.
  'documentSymbol on many tasks': { input: (n) => HEAD + Array.from({ length: n }, (_, i) => `${i + 1}. 任务${i}${TASK}`).join('\n'), run: symbols, size: 1000 },
  'folding on n headings': { input: (n) => '## 一、a\n\n'.repeat(n), run: folding, size: 1000 },
  'folding on a heading with n spaces inside': { input: (n) => `# 表${' '.repeat(n)}附件\n\n1. 任务${TASK}\n`, run: folding, size: 80_000 },
  'formatting a task line with n spaces': { input: (n) => `${HEAD}1. 任务${' '.repeat(n)}甲${TASK}\n`, run: formatting, size: 80_000 },
  'inlay hints on many tasks': { input: (n) => HEAD + Array.from({ length: n }, (_, i) => `${i + 1}. 任务${i}${TASK}`).join('\n'), run: inlayHints, size: 1000 },
  'completion after a unit field of n characters': { input: (n) => `${HEAD}1. 任务（牵头单位：${'局'.repeat(n)}、‸` + '\n', run: atMark('completion'), size: 80_000 },
  'completion at a line of n spaces': { input: (n) => `${HEAD}1. 任务${TASK}\n${' '.repeat(n)}‸\n`, run: atMark('completion'), size: 80_000 },
  'hover on a unit in a long line': { input: (n) => `${HEAD}1. 任务${'甲'.repeat(n)}（牵头单位：营商‸环境建设局）\n`, run: atMark('hover'), size: 80_000 },
};


// ---------------------------------------------------------------------------------------
// The child: one case, its guard time, then its ratio
// ---------------------------------------------------------------------------------------

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

const collect = (globalThis as { gc?: () => void }).gc;

function timeOnce(c: Case, text: string): number {
  const run = c.run ?? ((t: string) => analyze(t));
  // Each run starts on a clean heap (the child runs with --expose-gc): a collection of the last
  // run's garbage would otherwise fall on this one, and more of it on the larger size.
  collect?.();
  const t0 = cpuMs();
  run(text);
  return cpuMs() - t0;
}

function best(c: Case, text: string, runs: number): number {
  let b = Infinity;
  for (let i = 0; i < runs; i++) b = Math.min(b, timeOnce(c, text));
  return b;
}

function measure(c: Case): Omit<Outcome, 'killed' | 'error'> {
  // A run on a small input first compiles the code the guard's run runs.
  timeOnce(c, c.input(Math.max(1, Math.floor(c.size / 64))));
  let guard = timeOnce(c, c.input(c.size));
  // Near the cap, the best of three: garbage collection counts in the CPU time too.
  for (let i = 0; i < 2 && guard > GUARD_MS / 2; i++) guard = Math.min(guard, timeOnce(c, c.input(c.size)));
  // The smallest size (doubling from 1/64 of the case's) where a run takes MIN_MS.
  let n = Math.max(1, Math.floor(c.size / 64));
  while (c.input(2 * n).length <= MAX_DOCUMENT_LENGTH && best(c, c.input(n), 2) < MIN_MS) n *= 2;
  const small = c.input(n);
  const large = c.input(2 * n);
  if (large.length > MAX_DOCUMENT_LENGTH) return { guard, n, skipped: true };
  // Both sizes once untimed: the first run of a size still compiles code paths of its own.
  timeOnce(c, small);
  timeOnce(c, large);
  // Interleaved, so that a busy moment of the machine falls on both sizes.
  let t1 = Infinity;
  let t2 = Infinity;
  for (let i = 0; i < RUNS; i++) {
    t1 = Math.min(t1, timeOnce(c, small));
    t2 = Math.min(t2, timeOnce(c, large));
  }
  return { guard, n, t1, t2 };
}

/** The child's loop: a case name per line on stdin, `@@START@@` before each, its outcome after. */
function childMain(): void {
  let buf = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (s: string) => {
    buf += s;
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
      const name = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      fs.writeSync(1, '@@START@@\n');
      fs.writeSync(1, `@@RESULT@@${JSON.stringify(measure(CASES[name] as Case))}\n`);
    }
  });
  process.stdin.on('end', () => process.exit(0));
}

// ---------------------------------------------------------------------------------------
// The parent
// ---------------------------------------------------------------------------------------

interface Outcome {
  guard?: number;
  n?: number;
  t1?: number;
  t2?: number;
  skipped?: boolean;
  killed?: boolean;
  error?: string;
}

/**
 * Runs the cases in LANES child processes, one case after another in each. A case still
 * running KILL_MS after it started is killed (SIGKILL), and its lane goes on in a fresh child.
 */
function pool(names: string[]): Map<string, Promise<Outcome>> {
  const settle = new Map<string, (o: Outcome) => void>();
  const results = new Map<string, Promise<Outcome>>();
  for (const n of names) results.set(n, new Promise<Outcome>((r) => settle.set(n, r)));
  const queue = [...names];
  const lane = (): void => {
    if (!queue.length) return;
    const env: NodeJS.ProcessEnv = { ...process.env, [CHILD_ENV]: '1' };
    delete env['NODE_TEST_CONTEXT'];
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', THIS_FILE], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let current: string | undefined;
    let out = '';
    let err = '';
    let killed = false;
    let timer: NodeJS.Timeout | undefined;
    const next = (): void => {
      current = queue.shift();
      if (current === undefined) child.stdin.end();
      else child.stdin.write(`${current}\n`);
    };
    child.stdin.on('error', () => undefined);
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (s: string) => (err = (err + s).slice(-4000)));
    child.stdout.on('data', (s: string) => {
      out += s;
      for (let nl = out.indexOf('\n'); nl >= 0; nl = out.indexOf('\n')) {
        const line = out.slice(0, nl);
        out = out.slice(nl + 1);
        if (line === '@@START@@') {
          clearTimeout(timer);
          timer = setTimeout(() => {
            killed = true;
            child.kill('SIGKILL');
          }, KILL_MS);
        } else if (line.startsWith('@@RESULT@@') && current !== undefined) {
          clearTimeout(timer);
          settle.get(current)?.(JSON.parse(line.slice('@@RESULT@@'.length)) as Outcome);
          next();
        }
      }
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (current !== undefined) {
        settle.get(current)?.(killed ? { killed: true } : { error: `exit ${code}: ${err}` });
        lane();
      }
    });
    next();
  };
  for (let i = 0; i < LANES; i++) lane();
  return results;
}

function describe(name: string, o: Outcome): string {
  return `“${name}”: ${JSON.stringify(o)}`;
}

if (process.env[CHILD_ENV]) {
  childMain();
} else {
  // FENJIE_PATHOLOGICAL_ONLY=<regex> runs only the cases whose names match it.
  const only = process.env['FENJIE_PATHOLOGICAL_ONLY'];
  const names = Object.keys(CASES).filter((n) => !only || new RegExp(only).test(n));
  const outcomes = pool(names);
  for (const name of names) {
    const c = CASES[name] as Case;
    test(name, async (t) => {
      let o = (await outcomes.get(name)) as Outcome;
      t.diagnostic(JSON.stringify(o));
      const ratioOf = (x: Outcome): number => (x.t2 as number) / Math.max(x.t1 as number, 0.001);
      // A busy machine can spoil one measurement: a failed guard or ratio is measured again.
      const spoilt = (x: Outcome): boolean => !x.killed && !x.error && ((x.guard as number) >= GUARD_MS || (!x.skipped && ratioOf(x) > MAX_RATIO));
      for (let again = 0; again < 2 && spoilt(o); again++) {
        o = (await pool([name]).get(name)) as Outcome;
        t.diagnostic(`again: ${JSON.stringify(o)}`);
      }
      assert.ok(!o.killed, `${describe(name, o)}: killed after ${KILL_MS} ms`);
      assert.equal(o.error, undefined, describe(name, o));
      assert.ok((o.guard as number) < GUARD_MS, `${describe(name, o)}: ${Math.round(o.guard as number)} ms of CPU at size ${c.size}, over ${GUARD_MS} ms`);
      if (o.skipped) return;
      assert.ok(ratioOf(o) <= MAX_RATIO, `${describe(name, o)}: doubling the size from ${o.n} took ${ratioOf(o).toFixed(2)}× the time (at most ${MAX_RATIO}×)`);
    });
  }
}
