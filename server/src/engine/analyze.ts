import * as path from 'node:path';
import { buildModel, type DocumentModel } from './model.ts';
import { Directory, DIRECTORY_FILE } from './directory.ts';
import { linkModel } from './link.ts';
import { RULES, type RuleContext } from './rules/index.ts';
import { LineIndex } from './text.ts';
import type { Diagnostic, DiagnosticCode, Severity } from './types.ts';
import type { YamlProblem } from './yamlsource.ts';

/** How the engine reaches files: handed in by the CLI or the language server. */
export interface EngineHost {
  /** The file's text; undefined when there is no such file. Throws (with a message) when it cannot be read. */
  readFile(file: string): string | undefined;
  /** Folders where the search for 单位名录.yaml stops (workspace roots); the search ends at the file system's root otherwise. */
  isBoundary?(dir: string): boolean;
}

export interface DirectoryFindings {
  file: string;
  diagnostics: Diagnostic[];
}

export interface Analysis {
  model: DocumentModel;
  directory?: Directory;
  diagnostics: Diagnostic[];
  /** Problems of the 单位名录 file, reported in that file. */
  directoryFindings?: DirectoryFindings;
  /**
   * A 单位名录 that exists but could not be read (a device, a folder, not UTF-8…): the unit
   * checks were skipped. `named`: the front matter names it (an error; the CLI exits 2),
   * else it was found by the lookup (a warning).
   */
  directoryUnreadable?: { file: string; named: boolean };
}

/**
 * Beyond this many characters (about 12,000 tasks; a real breakdown has dozens) a document
 * is not parsed: it would take many seconds and much memory, and is surely not a breakdown.
 */
export const MAX_DOCUMENT_LENGTH = 2_000_000;

export interface AnalyzeOptions {
  /** The document's path, to find its 单位名录. */
  file?: string;
  host?: EngineHost;
  /** Severity overrides per code ('off' removes the finding). */
  severity?: Partial<Record<DiagnosticCode, Severity | 'off'>>;
}

/** Parse, link and check a document: the whole engine in one call. */
export function analyze(text: string, options: AnalyzeOptions = {}): Analysis {
  if (text.length > MAX_DOCUMENT_LENGTH) return tooLarge(text);
  const model = buildModel(text);
  return checkModel(model, options);
}

/** Links and checks an already parsed model (the editor reuses models across edits). */
export function checkModel(model: DocumentModel, options: AnalyzeOptions = {}): Analysis {
  const found = options.host ? findDirectory(model, options.file, options.host) : {};
  linkModel(model, found.directory);
  const diagnostics = runRules(model, found.directory, found.label, options.severity);
  if (found.problem) diagnostics.unshift(found.problem);
  const result: Analysis = { model, diagnostics };
  if (found.unreadable) result.directoryUnreadable = found.unreadable;
  if (found.directory) {
    result.directory = found.directory;
    result.directoryFindings = { file: found.directory.path, diagnostics: directoryDiagnostics(found.directory) };
  }
  return result;
}

function tooLarge(text: string): Analysis {
  const model = buildModel('');
  model.text = text;
  model.lines = new LineIndex(text);
  const wan = Math.round(text.length / 10_000);
  return {
    model,
    diagnostics: [
      {
        code: 'document',
        severity: 'error',
        message: `文档过大（约 ${wan} 万字），超过 fenjie 可处理的上限（200 万字），未作检查。请将其拆分为多个文档。`,
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      },
    ],
  };
}

export function runRules(model: DocumentModel, directory: Directory | undefined, directoryLabel: string | undefined, severity?: AnalyzeOptions['severity']): Diagnostic[] {
  const out: Diagnostic[] = [];
  const lines = model.lines;
  for (const p of model.metaProblems) out.push(problemToDiagnostic(p, lines, 'front-matter'));
  if (model.parseFailure) {
    // Neither the structure nor the front matter was read: no other rule has anything to go on.
    return [{
      code: 'document',
      severity: 'error',
      message: `文档${model.parseFailureAt !== undefined ? `第 ${lines.position(model.parseFailureAt).line + 1} 行` : ''}的嵌套层次过深（引用或列表超过 32 层），无法解析文档结构，未作其他检查。请检查是否误粘贴了内容。`,
      range: model.parseFailureAt !== undefined ? lines.range(model.parseFailureAt, lines.lineEnd(lines.position(model.parseFailureAt).line)) : lines.range(0, 0),
    }];
  }
  for (const rule of RULES) {
    const level = severity?.[rule.code] ?? rule.severity;
    if (level === 'off') continue;
    const ctx: RuleContext = {
      model,
      directory,
      directoryLabel,
      edit: (start, end, newText) => ({ range: lines.range(start, end), newText }),
      report: ({ start, end, severity: sev, ...rest }) => {
        out.push({ ...rest, severity: severity?.[rule.code] ? level : (sev ?? level), range: lines.range(start, end) });
      },
    };
    rule.check(ctx);
  }
  out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return out;
}

function problemToDiagnostic(p: YamlProblem, lines: LineIndex, code: DiagnosticCode): Diagnostic {
  const d: Diagnostic = { code, severity: p.severity, message: p.message, range: lines.range(p.start, p.end) };
  if (p.replace !== undefined) d.fixes = [{ title: `改为“${p.replace}”`, edits: [{ range: d.range, newText: p.replace }], preferred: false }];
  return d;
}

export function directoryDiagnostics(dir: Directory): Diagnostic[] {
  const lines = new LineIndex(dir.text);
  return dir.problems.map((p) => problemToDiagnostic(p, lines, 'directory'));
}

interface Found {
  directory?: Directory;
  label?: string;
  problem?: Diagnostic;
  unreadable?: { file: string; named: boolean };
}

/** The folders searched for 单位名录.yaml, nearest first (spec §6). */
export function directorySearchPath(file: string, host: Pick<EngineHost, 'isBoundary'>): string[] {
  const out: string[] = [];
  let dir = path.dirname(path.resolve(file));
  for (let i = 0; i < 64; i++) {
    out.push(path.join(dir, DIRECTORY_FILE));
    if (host.isBoundary?.(dir)) break;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return out;
}

const cache = new Map<string, Directory>();

/** Parses a 单位名录, reusing the last parse of the same text. */
export function loadDirectory(file: string, text: string): Directory {
  const key = `${file}\0${text}`;
  let d = cache.get(key);
  if (!d) {
    d = new Directory(file, text);
    if (cache.size > 16) cache.delete(cache.keys().next().value as string);
    cache.set(key, d);
  }
  return d;
}

/** A reason as a sentence of its own, ending in “。”. */
function sentence(s: string): string {
  return /[。！？]$/.test(s) ? s : `${s}。`;
}

function findDirectory(model: DocumentModel, file: string | undefined, host: EngineHost): Found {
  const lines = model.lines;
  const named = model.meta.units;
  const keyRange = model.metaKeyRanges['units'];
  const read = (p: string): { text?: string; error?: string } => {
    try {
      const text = host.readFile(p);
      return text === undefined ? {} : { text };
    } catch (e) {
      return { error: e instanceof Error ? e.message : String(e) };
    }
  };
  if (named) {
    const base = file ? path.dirname(path.resolve(file)) : undefined;
    const target = base ? path.resolve(base, named) : path.isAbsolute(named) ? named : undefined;
    const at = keyRange ? lines.range(keyRange[0], keyRange[1]) : lines.range(0, 0);
    if (!target) return {};
    const r = read(target);
    if (r.error !== undefined) {
      return {
        unreadable: { file: target, named: true },
        problem: {
          code: 'front-matter',
          severity: 'error',
          range: at,
          message: `无法读取单位名录“${named}”（${target}）：${sentence(r.error)}本文档的单位名称检查已跳过。`,
        },
      };
    }
    if (r.text === undefined) {
      return {
        problem: {
          code: 'front-matter',
          severity: 'error',
          range: at,
          message: `找不到单位名录文件“${named}”（${target}）。请检查路径，路径相对于本文档所在的文件夹。`,
        },
      };
    }
    return { directory: loadDirectory(target, r.text), label: named };
  }
  if (!file) return {};
  for (const candidate of directorySearchPath(file, host)) {
    const r = read(candidate);
    if (r.error !== undefined) {
      return {
        unreadable: { file: candidate, named: false },
        problem: { code: 'front-matter', severity: 'warning', range: lines.range(0, 0), message: `无法读取单位名录“${candidate}”：${sentence(r.error)}本文档的单位名称检查已跳过。` },
      };
    }
    if (r.text !== undefined) {
      const rel = path.relative(path.dirname(path.resolve(file)), candidate) || DIRECTORY_FILE;
      return { directory: loadDirectory(candidate, r.text), label: rel };
    }
  }
  return {};
}
