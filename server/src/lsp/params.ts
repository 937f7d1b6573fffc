import { ErrorCodes, ResponseError, type Position, type Range } from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';

/*
 * The checks of a request's params, before a handler reads them: a client that sends null,
 * a missing field or a wrong type gets an InvalidParams error that says what is wrong, in
 * Chinese, instead of the text of a JavaScript TypeError.
 */

export function invalidParams(method: string, what: string): ResponseError<void> {
  return new ResponseError(ErrorCodes.InvalidParams, `请求 ${method} 的参数无效：${what}。`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The params as an object. */
export function paramsOf(method: string, p: unknown): Record<string, unknown> {
  if (!isRecord(p)) throw invalidParams(method, '应为一个对象');
  return p;
}

export function stringAt(method: string, p: Record<string, unknown>, key: string): string {
  const v = p[key];
  if (typeof v !== 'string') throw invalidParams(method, `缺少 ${key}（应为字符串）`);
  return v;
}

/** An optional boolean: absent is false. */
export function flagAt(method: string, p: Record<string, unknown>, key: string): boolean {
  const v = p[key];
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') throw invalidParams(method, `${key} 应为 true 或 false`);
  return v;
}

/** Whether `v` is a URI string that parses (vscode-uri throws on some, e.g. a scheme with a space). */
export function isUri(v: unknown): v is string {
  if (typeof v !== 'string' || v === '') return false;
  try {
    URI.parse(v);
    return true;
  } catch {
    return false;
  }
}

export function uriAt(method: string, p: Record<string, unknown>, key: string, label = key): string {
  const v = p[key];
  if (!isUri(v)) throw invalidParams(method, `缺少 ${label}，或它不是有效的 URI`);
  return v;
}

/** `textDocument.uri`. */
export function documentUri(method: string, p: Record<string, unknown>): string {
  const t = p['textDocument'];
  if (!isRecord(t)) throw invalidParams(method, '缺少 textDocument（应为对象）');
  return uriAt(method, t, 'uri', 'textDocument.uri');
}

const isUinteger = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 2 ** 31 - 1;

function asPosition(v: unknown): Position | undefined {
  if (!isRecord(v) || !isUinteger(v['line']) || !isUinteger(v['character'])) return undefined;
  return { line: v['line'], character: v['character'] };
}

function asRange(v: unknown): Range | undefined {
  if (!isRecord(v)) return undefined;
  const start = asPosition(v['start']);
  const end = asPosition(v['end']);
  if (!start || !end || end.line < start.line || (end.line === start.line && end.character < start.character)) return undefined;
  return { start, end };
}

export function positionAt(method: string, p: Record<string, unknown>, key = 'position'): Position {
  const v = asPosition(p[key]);
  if (!v) throw invalidParams(method, `缺少 ${key}，或其 line、character 不是非负整数`);
  return v;
}

export function rangeAt(method: string, p: Record<string, unknown>, key = 'range'): Range {
  const v = asRange(p[key]);
  if (!v) throw invalidParams(method, `缺少 ${key}，或其 start、end 不是有效的位置`);
  return v;
}

/** A code action request's context: its diagnostics (each with a valid range) and `only`. */
export function codeActionContext<D>(method: string, p: Record<string, unknown>): { diagnostics: D[]; only?: string[] } {
  const c = p['context'];
  if (!isRecord(c) || !Array.isArray(c['diagnostics'])) throw invalidParams(method, '缺少 context.diagnostics（应为数组）');
  for (const d of c['diagnostics'] as unknown[]) {
    if (!isRecord(d) || !asRange(d['range']) || typeof d['message'] !== 'string') throw invalidParams(method, 'context.diagnostics 中有无效的诊断信息');
  }
  const only = c['only'];
  if (only !== undefined && only !== null && (!Array.isArray(only) || only.some((k) => typeof k !== 'string'))) throw invalidParams(method, 'context.only 应为字符串数组');
  return { diagnostics: c['diagnostics'] as D[], ...(Array.isArray(only) ? { only: only as string[] } : {}) };
}

/** A didChange's content changes: each a text, whole or for a valid range. Undefined when malformed. */
export function contentChanges(p: Record<string, unknown>): ({ text: string } | { range: Range; text: string })[] | undefined {
  const changes = p['contentChanges'];
  if (!Array.isArray(changes)) return undefined;
  const out: ({ text: string } | { range: Range; text: string })[] = [];
  for (const c of changes as unknown[]) {
    if (!isRecord(c) || typeof c['text'] !== 'string') return undefined;
    if (c['range'] === undefined) out.push({ text: c['text'] });
    else {
      const range = asRange(c['range']);
      if (!range) return undefined;
      out.push({ range, text: c['text'] });
    }
  }
  return out;
}

export function isUintegerValue(v: unknown): v is number {
  return isUinteger(v);
}

export { isRecord };
