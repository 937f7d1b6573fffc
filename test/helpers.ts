import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze, documentView, unitSections, type Analysis, type Diagnostic, type DocumentView, type EngineHost, type UnitSection } from '../server/src/engine/index.ts';

export const ROOT = path.resolve(import.meta.dirname, '..');
export const FIXTURES = path.join(ROOT, 'test', 'fixtures');

/** Reads files for the engine, and stops the 单位名录 search at `boundary`. */
export function hostWithin(boundary: string): EngineHost {
  return {
    readFile(file) {
      try {
        return fs.readFileSync(file, 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw e;
      }
    },
    isBoundary: (dir) => path.resolve(dir) === path.resolve(boundary),
  };
}

/** A host over files held in memory (path → text). */
export function memoryHost(files: Record<string, string>): EngineHost {
  return {
    readFile: (file) => files[file],
    isBoundary: (dir) => dir === '/w',
  };
}

const MARK = /[ \t]*\{([a-z-]+(?:,[a-z-]+)*)\}[ \t]*$/;

/**
 * A fixture marks its expected findings inline, markdownlint style: `{code}` or
 * `{code,code}` at the end of the line where each starts. Marks are removed before checking,
 * so columns before them are unchanged.
 */
export function readMarkedFixture(text: string): { text: string; expected: string[] } {
  const expected: string[] = [];
  const lines = text.split('\n').map((line, i) => {
    const m = MARK.exec(line);
    if (!m) return line;
    for (const code of (m[1] as string).split(',')) expected.push(`${i + 1}:${code}`);
    return line.slice(0, m.index);
  });
  return { text: lines.join('\n'), expected: expected.sort() };
}

export function found(diagnostics: Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.range.start.line + 1}:${d.code}`).sort();
}

export function check(text: string, file = '/w/doc.fj.md', files: Record<string, string> = {}): Analysis {
  return analyze(text, { file, host: memoryHost(files) });
}

export function codes(text: string, files: Record<string, string> = {}): string[] {
  return check(text, '/w/doc.fj.md', files).diagnostics.map((d) => d.code);
}

/** Mulberry32: a small seeded PRNG, so that generated inputs are the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The spec's example of both task forms (dialect spec §4). */
export const SPEC_EXAMPLE = `## 一、加强权力配置信息和决策信息的公开

1. 加强权力配置信息公开。
   各单位对照法律法规规章，全面梳理本机关依法行使的行政权力……
   - 牵头单位：营商环境建设局
   - 责任单位：各单位
   - 完成时限：12月底前

2. 全面推进基层政务公开标准化规范化。（牵头单位：营商环境建设局；责任单位：各单位；完成时限：12月底前）
`;

/** The 单位名录 the table and export tests share: two units (one with an alias) and a 泛称. */
export const TEST_DIRECTORY = '单位:\n  - 名称: 市财政局\n    简称: [财政局]\n  - 名称: 市教育局\n泛称: [各区县政府]\n';

/** A document as the preview and the exports draw it: its view and its 按单位 sections. */
export function viewOf(text: string, file = '/w/表.fj.md', host: EngineHost = memoryHost({ '/w/单位名录.yaml': TEST_DIRECTORY })): { view: DocumentView; units: UnitSection[] } {
  const a = analyze(text, { file, host });
  return { view: documentView(a.model), units: unitSections(a.model) };
}

/** An example of examples/ (path inside it), read with its own 单位名录. */
export function exampleView(rel: string): { view: DocumentView; units: UnitSection[] } {
  const file = path.join(ROOT, 'examples', rel);
  return viewOf(fs.readFileSync(file, 'utf8'), file, hostWithin(path.join(ROOT, 'examples')));
}

/** A notice: every front matter part, a body with 一、 and （一）, two attachments of one task each. */
export const SAMPLE_NOTICE = [
  '---',
  '发文字号: 某政办发〔2020〕1号',
  '标题: 关于印发某某的通知',
  '主送机关: 各单位',
  '成文日期: 2020-09-30',
  '署名: 某某办公室',
  '附注: （此件公开发布）',
  '---',
  '现将要点印发给你们。',
  '',
  '一、提高认识',
  '',
  '（一）加强领导。要求如下。',
  '',
  '# 附件1：任务分解表',
  '',
  '1. 任务一（牵头单位：市财政局；责任单位：各区县政府；完成时限：12月底前）',
  '',
  '# 附件2：另一表',
  '',
  '1. 任务二（牵头单位：市教育局；完成时限：6月底前）',
  '',
].join('\n');
