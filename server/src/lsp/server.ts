import {
  DidChangeConfigurationNotification,
  FileChangeType,
  MessageType,
  ShowMessageNotification,
  ResponseError,
  ErrorCodes,
  TextDocumentSyncKind,
  type Connection,
  type Diagnostic as LspDiagnostic,
  type InitializeParams,
  type InitializeResult,
  type WorkspaceEdit,
  type WorkspaceFoldersChangeEvent,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Store, isFenjieDocument, restrictedWriteMessage } from './workspace.ts';
import { codeActionContext, contentChanges, documentUri, flagAt, invalidParams, isRecord, isUintegerValue, isUri, paramsOf, positionAt, rangeAt, stringAt, uriAt } from './params.ts';
import { toLspDiagnostic } from '../service/diagnostics.ts';
import { provideCompletion } from '../service/completion.ts';
import { provideHover } from '../service/hover.ts';
import { provideInlayHints } from '../service/inlayHints.ts';
import { formatDocument } from '../service/formatting.ts';
import { provideDefinition, provideReferences, prepareRename, provideRename } from '../service/navigation.ts';
import { provideDocumentSymbols, provideFoldingRanges } from '../service/symbols.ts';
import { provideCodeActions, addToDirectoryEdit, addToDirectoryTitle, directoryPathOf } from '../service/codeActions.ts';
import {
  ADD_TO_DIRECTORY_COMMAND,
  EXPORT_FORMATS,
  EXPORT_REQUEST,
  PREVIEW_REQUEST,
  READY_NOTIFICATION,
  STATUS_NOTIFICATION,
  type ExportFormat,
  type ExportResult,
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
 *
 * Every handler checks its params first (params.ts): a malformed request gets InvalidParams
 * with a message in Chinese. Before `initialize`, requests get ServerNotInitialized (-32002)
 * and notifications are dropped, as the protocol asks.
 */
export interface ServerOptions {
  /** Each code's link to its section of the rule reference (host/docs.ts). */
  ruleDocs?: ReadonlyMap<string, string>;
}

export function startServer(connection: Connection, options: ServerOptions = {}): Store {
  const store = new Store();
  const documents = new Map<string, TextDocument>();
  const timers = new Map<string, NodeJS.Timeout>();
  let configurable = false;
  let foldersNotified = false;
  let initialized = false;

  const run = <T>(what: string, fn: () => T, fallback: T): T => {
    try {
      return fn();
    } catch (e) {
      if (e instanceof ResponseError) throw e;
      connection.console.error(`fenjie: ${what} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return fallback;
    }
  };

  /** A request handler: refused before initialize; `handler` checks the params it reads. */
  const request =
    <R>(handler: (p: unknown) => R) =>
    (p: unknown): R => {
      if (!initialized) throw new ResponseError(ErrorCodes.ServerNotInitialized, '服务器尚未初始化：请先发送 initialize 请求。');
      return handler(p);
    };

  /**
   * Registers a request handler by its method's name, not its type: jsonrpc then leaves every
   * check of the params to the handler (for a typed one it answers missing params itself, in
   * English). It passes by-position params spread, then the cancellation token: LSP sends one object.
   */
  const handle = (method: string, handler: (p: unknown) => unknown): void => {
    connection.onRequest<unknown, unknown>(method, (...args: unknown[]): unknown => {
      if (!initialized) throw new ResponseError(ErrorCodes.ServerNotInitialized, '服务器尚未初始化：请先发送 initialize 请求。');
      if (args.length !== 2) throw invalidParams(method, '应为一个对象');
      return handler(args[0]);
    });
  };

  /** A notification handler: dropped before initialize and when its params are not an object. */
  const notification =
    (what: string, handler: (p: Record<string, unknown>) => void) =>
    (p: unknown): void => {
      if (!initialized || !isRecord(p)) return;
      run(what, () => handler(p), undefined);
    };

  /** An error message for the user (a notification: a rejected window/showMessageRequest would be an unhandled rejection). */
  const tell = (message: string): void => void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Error, message });

  /** A file (not the document `own` itself) that an edit creates or changes outside the workspace; in Restricted Mode only. */
  const outsideFile = (edit: WorkspaceEdit, own: string): string | undefined => {
    if (store.trusted) return undefined;
    const uris = [...Object.keys(edit.changes ?? {})];
    for (const c of edit.documentChanges ?? []) {
      if (!('kind' in c)) uris.push(c.textDocument.uri);
      else if (c.kind === 'rename') uris.push(c.oldUri, c.newUri);
      else uris.push(c.uri);
    }
    const from = store.pathOf(own);
    for (const u of uris) {
      // An untitled buffer is no file.
      if (u === own || !u.startsWith('file:')) continue;
      const p = store.pathOf(u);
      if (!store.mayWrite(p, from)) return p;
    }
    return undefined;
  };

  /** Checks a document and publishes its findings, unless a newer version arrived meanwhile. */
  const check = (uri: string): void => {
    timers.delete(uri);
    const doc = store.fresh(uri);
    const td = documents.get(uri);
    if (!doc || !td || doc.version !== td.version) return;
    const diagnostics = doc.analysis.diagnostics.map((d) => toLspDiagnostic(d, uri, (p) => store.uriOf(p), options.ruleDocs));
    void connection.sendDiagnostics({ uri, version: doc.version ?? undefined, diagnostics });
    const dir = doc.analysis.directoryFindings;
    if (dir) {
      const dirUri = store.uriOf(dir.file);
      void connection.sendDiagnostics({ uri: dirUri, diagnostics: dir.diagnostics.map((d) => toLspDiagnostic(d, dirUri, (p) => store.uriOf(p), options.ruleDocs)) });
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

  /** Reads documents into the index a few at a time, so requests are answered meanwhile. */
  const index = (files: string[], done?: () => void): void => {
    const step = (i: number): void => {
      for (const end = Math.min(files.length, i + 20); i < end; i++) {
        const f = files[i] as string;
        const uri = store.uriOf(f);
        if (!store.isOpen(uri)) run('index', () => store.indexFile(f, uri), undefined);
      }
      if (i < files.length) setImmediate(() => step(i));
      else done?.();
    };
    step(0);
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const p = isRecord(params) ? params : ({} as Partial<InitializeParams>);
    const options = (isRecord(p.initializationOptions) ? p.initializationOptions : {}) as { settings?: unknown; trusted?: unknown };
    store.settings = readSettings(options.settings);
    // Restricted Mode unless told otherwise by a client that knows of trust: VS Code sends it (client/src/extension.ts).
    store.trusted = options.trusted !== false;
    const folders = Array.isArray(p.workspaceFolders) ? p.workspaceFolders : [];
    store.roots = folders.filter((f) => isRecord(f) && isUri(f.uri)).map((f) => store.pathOf(f.uri));
    if (!store.roots.length && isUri(p.rootUri)) store.roots = [store.pathOf(p.rootUri)];
    const capabilities: Partial<InitializeParams['capabilities']> = isRecord(p.capabilities) ? p.capabilities : {};
    configurable = !!capabilities.workspace?.configuration;
    foldersNotified = !!capabilities.workspace?.workspaceFolders;
    initialized = true;
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
        // What is inside the workspace decides what Restricted Mode lets the server read and write.
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'fenjie' },
    };
  });

  connection.onInitialized(() => {
    if (configurable) connection.client.register(DidChangeConfigurationNotification.type, { section: 'fenjie' }).catch(() => undefined);
    if (foldersNotified) connection.workspace.onDidChangeWorkspaceFolders((event) => run('workspaceFolders', () => changeFolders(event), undefined));
    const files = store.listWorkspaceDocuments();
    index(files, () => void connection.sendNotification(READY_NOTIFICATION, { documents: files.length }));
  });

  /** Folders added or removed: what may be read changes, and so may every check. */
  const changeFolders = (event: WorkspaceFoldersChangeEvent | undefined): void => {
    if (!isRecord(event)) return;
    const paths = (list: unknown): string[] =>
      Array.isArray(list) ? list.filter((f): f is { uri: string } => isRecord(f) && isUri(f['uri'])).map((f) => store.pathOf(f.uri)) : [];
    const removed = paths(event.removed);
    const added = paths(event.added);
    store.roots = [...store.roots.filter((r) => !removed.includes(r)), ...added.filter((a) => !store.roots.includes(a))];
    store.forgetOutsideRoots();
    recheckAll();
    if (added.length) index(store.listWorkspaceDocuments());
  };

  connection.onShutdown(
    request(() => {
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
    }),
  );

  connection.onDidChangeConfiguration(
    notification('configuration', (change) => {
      const settings = (change['settings'] as { fenjie?: unknown } | undefined | null)?.fenjie;
      if (settings !== undefined) store.settings = readSettings(settings);
      else if (configurable) {
        connection.workspace.getConfiguration('fenjie').then(
          (s) => {
            store.settings = readSettings(s);
            recheckAll();
          },
          () => undefined,
        );
        return;
      }
      recheckAll();
    }),
  );

  // Documents: fenjie documents are checked; 单位名录 buffers re-check those that use them.
  connection.onDidOpenTextDocument(
    notification('didOpen', (p) => {
      const t = p['textDocument'];
      if (!isRecord(t) || !isUri(t['uri']) || typeof t['text'] !== 'string' || !isUintegerValue(t['version'])) return;
      const uri = t['uri'];
      const languageId = typeof t['languageId'] === 'string' ? t['languageId'] : '';
      const td = TextDocument.create(uri, languageId, t['version'], t['text']);
      documents.set(uri, td);
      const path = store.pathOf(uri);
      if (isFenjieDocument(path) || languageId === 'fenjie') {
        store.openDocument(uri, td.version, td.getText());
        schedule(uri);
      } else {
        store.setBuffer(path, td.getText());
        recheckAll(path);
      }
    }),
  );

  connection.onDidChangeTextDocument(
    notification('didChange', (p) => {
      const v = p['textDocument'];
      const changes = contentChanges(p);
      if (!isRecord(v) || !isUri(v['uri']) || !isUintegerValue(v['version']) || !changes) return;
      const uri = v['uri'];
      const old = documents.get(uri);
      if (!old) return;
      const td = TextDocument.update(old, changes, v['version']);
      documents.set(uri, td);
      const path = store.pathOf(uri);
      if (store.isOpen(uri)) {
        store.changeDocument(uri, td.version, td.getText());
        schedule(uri);
      } else {
        store.setBuffer(path, td.getText());
        recheckAll(path);
      }
    }),
  );

  connection.onDidCloseTextDocument(
    notification('didClose', (p) => {
      const t = p['textDocument'];
      if (!isRecord(t) || !isUri(t['uri'])) return;
      const uri = t['uri'];
      documents.delete(uri);
      const timer = timers.get(uri);
      if (timer) clearTimeout(timer);
      timers.delete(uri);
      const path = store.pathOf(uri);
      if (store.isOpen(uri)) {
        store.closeDocument(uri);
        void connection.sendDiagnostics({ uri, diagnostics: [] });
      } else {
        store.setBuffer(path, undefined);
        recheckAll(path);
      }
    }),
  );

  connection.onDidChangeWatchedFiles(
    notification('didChangeWatchedFiles', (p) => {
      const changes = Array.isArray(p['changes']) ? (p['changes'] as unknown[]) : [];
      for (const c of changes) {
        if (!isRecord(c) || !isUri(c['uri'])) continue;
        const uri = c['uri'];
        const path = store.pathOf(uri);
        store.forgetDisk(path);
        if (isFenjieDocument(path)) {
          if (store.isOpen(uri)) continue;
          if (c['type'] === FileChangeType.Deleted) store.forgetFile(uri);
          else run('index', () => store.indexFile(path, uri), undefined);
        } else recheckAll(path);
      }
    }),
  );

  // Features. Each reads the document named in its params; an unknown one answers null or nothing.
  const docOf = (uri: string) => store.get(uri);
  /** The params, and the open document they name. */
  const located = (method: string, p: unknown) => {
    const params = paramsOf(method, p);
    const uri = documentUri(method, params);
    return { params, uri, doc: docOf(uri) };
  };

  handle(
    'textDocument/completion',
    (p) => {
      const { params, doc } = located('textDocument/completion', p);
      const position = positionAt('textDocument/completion', params);
      return doc ? run('completion', () => provideCompletion(store, doc, position), null) : null;
    },
  );
  handle(
    'textDocument/hover',
    (p) => {
      const { params, doc } = located('textDocument/hover', p);
      const position = positionAt('textDocument/hover', params);
      return doc ? run('hover', () => provideHover(store, doc, position), null) : null;
    },
  );
  handle(
    'textDocument/definition',
    (p) => {
      const { params, doc } = located('textDocument/definition', p);
      const position = positionAt('textDocument/definition', params);
      return doc ? run('definition', () => provideDefinition(store, doc, position), []) : [];
    },
  );
  handle(
    'textDocument/references',
    (p) => {
      const method = 'textDocument/references';
      const { params, uri } = located(method, p);
      const position = positionAt(method, params);
      const context = params['context'];
      if (!isRecord(context)) throw invalidParams(method, '缺少 context（应为对象）');
      const target = targetOf(uri);
      return target ? run('references', () => provideReferences(store, target, position, context['includeDeclaration'] === true), []) : [];
    },
  );
  handle(
    'textDocument/prepareRename',
    (p) => {
      const { params, uri } = located('textDocument/prepareRename', p);
      const position = positionAt('textDocument/prepareRename', params);
      const target = targetOf(uri);
      return target ? run('prepareRename', () => prepareRename(store, target, position), null) : null;
    },
  );
  handle(
    'textDocument/rename',
    (p) => {
      const method = 'textDocument/rename';
      const { params, uri } = located(method, p);
      const position = positionAt(method, params);
      const newName = stringAt(method, params, 'newName');
      const target = targetOf(uri);
      if (!target) return null;
      let edit: WorkspaceEdit | null;
      try {
        edit = provideRename(store, target, position, newName);
      } catch (e) {
        // The service's own refusals (plain Errors) say what to do; anything else is a fault of ours.
        if (e instanceof Error && e.constructor === Error) throw new ResponseError(ErrorCodes.InvalidParams, e.message);
        connection.console.error(`fenjie: rename failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        throw new ResponseError(ErrorCodes.InternalError, '重命名时出错，未做任何修改。请把文档发给维护人员以便查明原因。');
      }
      const outside = edit ? outsideFile(edit, uri) : undefined;
      if (outside) throw new ResponseError(ErrorCodes.InvalidRequest, restrictedWriteMessage(outside));
      return edit;
    },
  );
  handle(
    'textDocument/documentSymbol',
    (p) => {
      const { doc } = located('textDocument/documentSymbol', p);
      return doc ? run('symbols', () => provideDocumentSymbols(doc), []) : [];
    },
  );
  handle(
    'textDocument/foldingRange',
    (p) => {
      const { doc } = located('textDocument/foldingRange', p);
      return doc ? run('folding', () => provideFoldingRanges(doc), []) : [];
    },
  );
  handle(
    'textDocument/codeAction',
    (p) => {
      const method = 'textDocument/codeAction';
      const { params, uri, doc } = located(method, p);
      const range = rangeAt(method, params);
      const context = codeActionContext<LspDiagnostic>(method, params);
      if (!doc) return [];
      const actions = run('codeAction', () => provideCodeActions(store, doc, range, context), []);
      // The service leaves out what Restricted Mode forbids; this holds whatever it offers.
      return actions.filter((a) => !a.edit || outsideFile(a.edit, uri) === undefined);
    },
  );
  handle(
    'workspace/executeCommand',
    async (p) => {
      const method = 'workspace/executeCommand';
      const params = paramsOf(method, p);
      const command = stringAt(method, params, 'command');
      if (command !== ADD_TO_DIRECTORY_COMMAND) throw invalidParams(method, `不支持的命令“${command}”`);
      const args = params['arguments'];
      const a = Array.isArray(args) ? (args[0] as unknown) : undefined;
      if (!isRecord(a) || typeof a['name'] !== 'string') throw invalidParams(method, '命令的参数应为 { uri, name }');
      const doc = docOf(uriAt(method, a, 'uri'));
      if (!doc) return null;
      const name = a['name'];
      const file = directoryPathOf(doc);
      if (!store.mayWrite(file, doc.path)) {
        tell(restrictedWriteMessage(file));
        return null;
      }
      let edit: WorkspaceEdit | null;
      try {
        edit = addToDirectoryEdit(store, doc, name);
      } catch (e) {
        if (e instanceof Error && e.constructor === Error) tell(e.message);
        else connection.console.error(`fenjie: addToDirectory failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        return null;
      }
      if (!edit) return null;
      const outside = outsideFile(edit, doc.uri);
      if (outside) {
        tell(restrictedWriteMessage(outside));
        return null;
      }
      await connection.workspace.applyEdit({ label: addToDirectoryTitle(doc, name), edit });
      return null;
    },
  );
  handle(
    'textDocument/formatting',
    (p) => {
      const { doc } = located('textDocument/formatting', p);
      return doc ? run('formatting', () => formatDocument(doc), []) : [];
    },
  );
  handle(
    'textDocument/inlayHint',
    (p) => {
      const method = 'textDocument/inlayHint';
      const { params, doc } = located(method, p);
      const range = rangeAt(method, params);
      return doc ? run('inlayHint', () => provideInlayHints(store, doc, range), []) : [];
    },
  );

  handle(
    PREVIEW_REQUEST,
    (p): PreviewResult | null => {
      const params = paramsOf(PREVIEW_REQUEST, p);
      const uri = uriAt(PREVIEW_REQUEST, params, 'uri');
      const byUnit = flagAt(PREVIEW_REQUEST, params, 'byUnit');
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
    },
  );
  handle(
    EXPORT_REQUEST,
    async (p): Promise<ExportResult> => {
      const params = paramsOf(EXPORT_REQUEST, p);
      const uri = uriAt(EXPORT_REQUEST, params, 'uri');
      const format = stringAt(EXPORT_REQUEST, params, 'format');
      const byUnit = flagAt(EXPORT_REQUEST, params, 'byUnit');
      const doc = docOf(uri);
      if (!doc) return { error: '找不到要导出的文档，请先打开它。' };
      const fatal = doc.analysis.diagnostics.find((d) => d.code === 'document');
      if (fatal) return { error: fatal.message };
      if (!(EXPORT_FORMATS as readonly string[]).includes(format)) return { error: `不支持的导出格式“${format}”。` };
      try {
        // Loaded only now: the exporters are a bundle of their own (esbuild.mjs).
        const { exportView } = await import('../export.ts');
        const model = doc.analysis.model;
        const bytes = await exportView(documentView(model), format as ExportFormat, byUnit ? unitSections(model) : undefined);
        return { data: Buffer.from(bytes).toString('base64') };
      } catch (e) {
        connection.console.error(`fenjie: export failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        return { error: '导出时出错，未生成文件。请把文档发给维护人员以便查明原因。' };
      }
    },
  );

  // Any other request: before initialize it gets ServerNotInitialized too; after, MethodNotFound.
  connection.onRequest(
    request((method: unknown) => {
      throw new ResponseError(ErrorCodes.MethodNotFound, `fenjie 语言服务器不支持请求“${String(method)}”。`);
    }),
  );

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
