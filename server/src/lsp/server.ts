import {
  DidChangeConfigurationNotification,
  FileChangeType,
  ResponseError,
  ErrorCodes,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Store, isFenjieDocument } from './workspace.ts';
import { toLspDiagnostic } from '../service/diagnostics.ts';
import { provideCompletion } from '../service/completion.ts';
import { provideHover } from '../service/hover.ts';
import { provideInlayHints } from '../service/inlayHints.ts';
import { formatDocument } from '../service/formatting.ts';
import { provideDefinition, provideReferences, prepareRename, provideRename } from '../service/navigation.ts';
import { provideDocumentSymbols, provideFoldingRanges } from '../service/symbols.ts';
import { provideCodeActions, addToDirectoryEdit } from '../service/codeActions.ts';
import {
  ADD_TO_DIRECTORY_COMMAND,
  EXPORT_FORMATS,
  EXPORT_REQUEST,
  PREVIEW_REQUEST,
  READY_NOTIFICATION,
  STATUS_NOTIFICATION,
  type AddToDirectoryArgs,
  type ExportParams,
  type ExportResult,
  type PreviewParams,
  type PreviewResult,
  type StatusParams,
} from '../protocol.ts';
import * as path from 'node:path';
import { documentView, unitSections } from '../engine/index.ts';
import { renderPreview } from '../engine/render/html.ts';
import { readSettings } from '../settings.ts';

/** Characters after which the editor asks for completion by itself (Chinese and ASCII separators). */
export const TRIGGER_CHARACTERS = ['：', ':', '、', '，', ',', '；', ';'];

/**
 * Wires the language service to an LSP connection: the documents, the checks while typing,
 * the workspace index, and one handler per feature. The node entry (main.ts) and the tests
 * hand in the connection.
 */
export function startServer(connection: Connection): Store {
  const store = new Store();
  const documents = new Map<string, TextDocument>();
  const timers = new Map<string, NodeJS.Timeout>();
  let configurable = false;

  const run = <T>(what: string, fn: () => T, fallback: T): T => {
    try {
      return fn();
    } catch (e) {
      if (e instanceof ResponseError) throw e;
      connection.console.error(`fenjie: ${what} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return fallback;
    }
  };

  /** Checks a document and publishes its findings, unless a newer version arrived meanwhile. */
  const check = (uri: string): void => {
    timers.delete(uri);
    const doc = store.fresh(uri);
    const td = documents.get(uri);
    if (!doc || !td || doc.version !== td.version) return;
    const diagnostics = doc.analysis.diagnostics.map((d) => toLspDiagnostic(d, uri, (p) => store.uriOf(p)));
    void connection.sendDiagnostics({ uri, version: doc.version ?? undefined, diagnostics });
    const dir = doc.analysis.directoryFindings;
    if (dir) {
      const dirUri = store.uriOf(dir.file);
      void connection.sendDiagnostics({ uri: dirUri, diagnostics: dir.diagnostics.map((d) => toLspDiagnostic(d, dirUri, (p) => store.uriOf(p))) });
    }
    const status: StatusParams = {
      uri,
      version: doc.version ?? 0,
      tasks: doc.analysis.model.breakdowns.reduce((n, b) => n + b.tasks.length, 0),
      errors: doc.analysis.diagnostics.filter((d) => d.severity === 'error').length,
      warnings: doc.analysis.diagnostics.filter((d) => d.severity === 'warning').length,
    };
    void connection.sendNotification(STATUS_NOTIFICATION, status);
  };

  const schedule = (uri: string): void => {
    const old = timers.get(uri);
    if (old) clearTimeout(old);
    const delay = store.settings.debounceMs;
    if (delay === 0) check(uri);
    else timers.set(uri, setTimeout(() => run('check', () => check(uri), undefined), delay));
  };

  const recheckAll = (directoryPath?: string): void => {
    for (const uri of store.invalidate(directoryPath)) schedule(uri);
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const options = (params.initializationOptions ?? {}) as { settings?: unknown; trusted?: boolean };
    store.settings = readSettings(options.settings);
    store.trusted = options.trusted !== false;
    store.roots = (params.workspaceFolders ?? []).map((f) => store.pathOf(f.uri));
    if (!store.roots.length && params.rootUri) store.roots = [store.pathOf(params.rootUri)];
    configurable = !!params.capabilities.workspace?.configuration;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        completionProvider: { triggerCharacters: TRIGGER_CHARACTERS, resolveProvider: false },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        codeActionProvider: { codeActionKinds: ['quickfix', 'refactor.rewrite', 'source.fixAll'] },
        executeCommandProvider: { commands: [ADD_TO_DIRECTORY_COMMAND] },
        documentFormattingProvider: true,
        inlayHintProvider: true,
      },
      serverInfo: { name: 'fenjie' },
    };
  });

  connection.onInitialized(() => {
    if (configurable) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'fenjie' });
    // Read the workspace's documents a few at a time, so requests are answered meanwhile.
    const files = store.listWorkspaceDocuments();
    const step = (i: number): void => {
      for (const end = Math.min(files.length, i + 20); i < end; i++) {
        const f = files[i] as string;
        const uri = store.uriOf(f);
        if (!store.isOpen(uri)) run('index', () => store.indexFile(f, uri), undefined);
      }
      if (i < files.length) setImmediate(() => step(i));
      else void connection.sendNotification(READY_NOTIFICATION, { documents: files.length });
    };
    step(0);
  });

  connection.onDidChangeConfiguration((change) => {
    const settings = (change.settings as { fenjie?: unknown } | undefined)?.fenjie;
    if (settings !== undefined) store.settings = readSettings(settings);
    else if (configurable) {
      void connection.workspace.getConfiguration('fenjie').then((s) => {
        store.settings = readSettings(s);
        recheckAll();
      });
      return;
    }
    recheckAll();
  });

  // Documents: fenjie documents are checked; 单位名录 buffers re-check those that use them.
  connection.onDidOpenTextDocument(({ textDocument: t }) => {
    const td = TextDocument.create(t.uri, t.languageId, t.version, t.text);
    documents.set(t.uri, td);
    const p = store.pathOf(t.uri);
    if (isFenjieDocument(p) || t.languageId === 'fenjie') {
      store.openDocument(t.uri, t.version, t.text);
      schedule(t.uri);
    } else {
      store.setBuffer(p, t.text);
      recheckAll(p);
    }
  });

  connection.onDidChangeTextDocument(({ textDocument: v, contentChanges }) => {
    const old = documents.get(v.uri);
    if (!old) return;
    const td = TextDocument.update(old, contentChanges, v.version);
    documents.set(v.uri, td);
    const p = store.pathOf(v.uri);
    if (store.isOpen(v.uri)) {
      store.changeDocument(v.uri, v.version, td.getText());
      schedule(v.uri);
    } else {
      store.setBuffer(p, td.getText());
      recheckAll(p);
    }
  });

  connection.onDidCloseTextDocument(({ textDocument: t }) => {
    documents.delete(t.uri);
    const timer = timers.get(t.uri);
    if (timer) clearTimeout(timer);
    timers.delete(t.uri);
    const p = store.pathOf(t.uri);
    if (store.isOpen(t.uri)) {
      store.closeDocument(t.uri);
      void connection.sendDiagnostics({ uri: t.uri, diagnostics: [] });
    } else {
      store.setBuffer(p, undefined);
      recheckAll(p);
    }
  });

  connection.onDidChangeWatchedFiles(({ changes }) => {
    for (const c of changes) {
      const p = store.pathOf(c.uri);
      store.forgetDisk(p);
      if (isFenjieDocument(p)) {
        if (store.isOpen(c.uri)) continue;
        if (c.type === FileChangeType.Deleted) store.forgetFile(c.uri);
        else run('index', () => store.indexFile(p, c.uri), undefined);
      } else recheckAll(p);
    }
  });

  // Features.
  const docOf = (uri: string) => store.get(uri);

  connection.onCompletion(({ textDocument, position }) => {
    const doc = docOf(textDocument.uri);
    return doc ? run('completion', () => provideCompletion(store, doc, position), null) : null;
  });
  connection.onHover(({ textDocument, position }) => {
    const doc = docOf(textDocument.uri);
    return doc ? run('hover', () => provideHover(store, doc, position), null) : null;
  });
  connection.onDefinition(({ textDocument, position }) => {
    const doc = docOf(textDocument.uri);
    return doc ? run('definition', () => provideDefinition(store, doc, position), []) : [];
  });
  connection.onReferences(({ textDocument, position, context }) => {
    const target = targetOf(textDocument.uri);
    return target ? run('references', () => provideReferences(store, target, position, context.includeDeclaration), []) : [];
  });
  connection.onPrepareRename(({ textDocument, position }) => {
    const target = targetOf(textDocument.uri);
    return target ? run('prepareRename', () => prepareRename(store, target, position), null) : null;
  });
  connection.onRenameRequest(({ textDocument, position, newName }) => {
    const target = targetOf(textDocument.uri);
    if (!target) return null;
    try {
      return provideRename(store, target, position, newName);
    } catch (e) {
      throw new ResponseError(ErrorCodes.InvalidParams, e instanceof Error ? e.message : String(e));
    }
  });
  connection.onDocumentSymbol(({ textDocument }) => {
    const doc = docOf(textDocument.uri);
    return doc ? run('symbols', () => provideDocumentSymbols(doc), []) : [];
  });
  connection.onFoldingRanges(({ textDocument }) => {
    const doc = docOf(textDocument.uri);
    return doc ? run('folding', () => provideFoldingRanges(doc), []) : [];
  });
  connection.onCodeAction(({ textDocument, range, context }) => {
    const doc = docOf(textDocument.uri);
    return doc ? run('codeAction', () => provideCodeActions(store, doc, range, context), []) : [];
  });
  connection.onExecuteCommand(async ({ command, arguments: args }) => {
    if (command !== ADD_TO_DIRECTORY_COMMAND) return;
    const a = (args?.[0] ?? {}) as AddToDirectoryArgs;
    const doc = typeof a.uri === 'string' ? docOf(a.uri) : undefined;
    if (!doc || typeof a.name !== 'string') return;
    const edit = run('addToDirectory', () => addToDirectoryEdit(store, doc, a.name), null);
    if (edit) await connection.workspace.applyEdit({ label: `将“${a.name}”加入单位名录`, edit });
  });
  connection.onDocumentFormatting(({ textDocument }) => {
    const doc = docOf(textDocument.uri);
    return doc ? run('formatting', () => formatDocument(doc), []) : [];
  });
  connection.languages.inlayHint.on(({ textDocument, range }) => {
    const doc = docOf(textDocument.uri);
    return doc ? run('inlayHint', () => provideInlayHints(store, doc, range), []) : [];
  });

  connection.onRequest(PREVIEW_REQUEST, ({ uri, byUnit }: PreviewParams): PreviewResult | null => {
    const doc = docOf(uri);
    if (!doc || doc.version === null) return null;
    return run(
      'preview',
      () => {
        const model = doc.analysis.model;
        const view = documentView(model);
        const { html, css } = renderPreview(view, byUnit ? { byUnit: unitSections(model) } : {});
        const title = view.tables.find((t) => t.title)?.title ?? path.basename(doc.path).replace(/\.fj\.md$/i, '');
        return { version: doc.version ?? 0, html, css, title };
      },
      null,
    );
  });
  connection.onRequest(EXPORT_REQUEST, async ({ uri, format, byUnit }: ExportParams): Promise<ExportResult> => {
    const doc = docOf(uri);
    if (!doc) return { error: '找不到要导出的文档，请先打开它。' };
    const fatal = doc.analysis.diagnostics.find((d) => d.code === 'document');
    if (fatal) return { error: fatal.message };
    if (!EXPORT_FORMATS.includes(format)) return { error: `不支持的导出格式“${String(format)}”。` };
    try {
      // Loaded only now: the exporters are a bundle of their own (esbuild.mjs).
      const { exportView } = await import('../export.ts');
      const model = doc.analysis.model;
      const bytes = await exportView(documentView(model), format, byUnit === true ? unitSections(model) : undefined);
      return { data: Buffer.from(bytes).toString('base64') };
    } catch (e) {
      connection.console.error(`fenjie: export failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return { error: '导出时出错，未生成文件。请把文档发给维护人员以便查明原因。' };
    }
  });

  /** A fenjie document, or a 单位名录 file (references and rename start there too). */
  function targetOf(uri: string): { uri: string; path: string; text: string; document?: ReturnType<typeof docOf> } | undefined {
    const doc = docOf(uri);
    if (doc) return { uri, path: doc.path, text: doc.text, document: doc };
    const p = store.pathOf(uri);
    const text = documents.get(uri)?.getText() ?? store.readText(p);
    return text === undefined ? undefined : { uri, path: p, text };
  }

  return store;
}
