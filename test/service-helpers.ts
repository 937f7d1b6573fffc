import assert from 'node:assert/strict';
import type { WorkspaceEdit } from 'vscode-languageserver-types';
import { analyze, applyEdits, type EngineHost } from '../server/src/engine/index.ts';
import type { ServiceDocument, ServiceWorkspace } from '../server/src/service/types.ts';
import { DEFAULT_SETTINGS, type Settings } from '../server/src/settings.ts';

/**
 * An in-memory workspace for the language service: paths under /w map to texts. Every
 * `.fj.md` is a document (open ones carry a version); `单位名录.yaml` files are found as the
 * engine finds them.
 */
export function memoryWorkspace(files: Record<string, string>, options: { open?: string[]; settings?: Partial<Settings> } = {}): ServiceWorkspace & { docs: Map<string, ServiceDocument>; update(path: string, text: string): ServiceDocument } {
  const texts = new Map(Object.entries(files));
  const host: EngineHost = { readFile: (p) => texts.get(p), isBoundary: (dir) => dir === '/w' };
  const uriOf = (p: string): string => `file://${encodeURI(p)}`;
  const pathOf = (u: string): string => decodeURI(u.replace(/^file:\/\//, ''));
  const docs = new Map<string, ServiceDocument>();
  const make = (path: string, text: string, version: number | null): ServiceDocument => ({
    uri: uriOf(path),
    path,
    version,
    text,
    analysis: analyze(text, { file: path, host }),
  });
  for (const [p, t] of texts) if (p.endsWith('.fj.md')) docs.set(uriOf(p), make(p, t, options.open?.includes(p) ? 1 : null));
  return {
    docs,
    documents: () => docs.values(),
    get: (uri) => docs.get(uri),
    uriOf,
    pathOf,
    readText: (p) => texts.get(p),
    settings: { ...DEFAULT_SETTINGS, ...options.settings },
    update(path, text) {
      texts.set(path, text);
      // A changed 单位名录 changes every document's analysis.
      for (const [u, d] of docs) docs.set(u, make(d.path, d.path === path ? text : (texts.get(d.path) as string), d.version === null ? null : d.version + 1));
      const doc = docs.get(uriOf(path));
      if (doc) return doc;
      const created = make(path, text, 1);
      docs.set(created.uri, created);
      return created;
    },
  };
}

/** Splits `text` at the `|` cursor mark: the text without it, and the mark's LSP position. */
export function cursor(marked: string): { text: string; position: { line: number; character: number } } {
  const at = marked.indexOf('|');
  const before = marked.slice(0, at);
  const lines = before.split(/\r\n|\r|\n/);
  return { text: before + marked.slice(at + 1), position: { line: lines.length - 1, character: (lines[lines.length - 1] as string).length } };
}

/** Applies a WorkspaceEdit (changes or documentChanges, with file creation) to files by path. */
export function applyWorkspaceEdit(ws: ServiceWorkspace, files: Record<string, string>, edit: WorkspaceEdit): Record<string, string> {
  const out = { ...files };
  for (const [uri, edits] of Object.entries(edit.changes ?? {})) {
    const p = ws.pathOf(uri);
    assert.ok(p in out, `edit of an unknown file ${p}`);
    out[p] = applyEdits(out[p] as string, edits);
  }
  for (const c of edit.documentChanges ?? []) {
    if ('kind' in c) {
      assert.equal(c.kind, 'create');
      assert.ok(!(ws.pathOf(c.uri) in out), 'creates a file that exists');
      out[ws.pathOf(c.uri)] = '';
    } else {
      const edits = c.edits.map((e) => {
        assert.ok('newText' in e, 'a snippet edit');
        return e;
      });
      out[ws.pathOf(c.textDocument.uri)] = applyEdits(out[ws.pathOf(c.textDocument.uri)] ?? '', edits);
    }
  }
  return out;
}

/** The 单位名录 the completion and hover tests share: units, an alias, a 泛称. */
export const SERVICE_DIRECTORY = `单位:
  - 营商环境建设局
  - 名称: 市场监督管理局经开区分局
    简称: [市监分局]
  - 应急局
  - 建设局
泛称:
  - 市直各部门
`;

/** Front matter (年度 2020, issued 2020-09-30) and a title: what the service tests' documents start with. */
export const DOC_HEAD = `---
年度: 2020
成文日期: 2020-09-30
---

# 表

`;
