/**
 * The VS Code side of fenjie: starts the language server and shows what it reports. All
 * knowledge of the dialect lives in the server; this file only wires VS Code to it.
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { READY_NOTIFICATION, SERVER_NODE_FLAGS, STATUS_NOTIFICATION, type StatusParams } from '../../server/src/protocol.ts';
import { registerPreview } from './preview.ts';
import { registerExports } from './exporter.ts';

const LANGUAGE_ID = 'fenjie';
const DOCUMENT_GLOB = '**/*.fj.md';
const DIRECTORY_GLOB = '**/单位名录.yaml';

/** What `activate` returns, for tests and other extensions. */
export interface FenjieApi {
  /** Resolves when the server has built its first workspace index; rejects if it cannot start. */
  ready: Promise<void>;
  client: LanguageClient;
}

let client: LanguageClient | undefined;

export function activate(context: vscode.ExtensionContext): FenjieApi {
  const serverModule = context.asAbsolutePath('out/server.cjs');
  const serverOptions: ServerOptions = { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_FLAGS] } };
  // Closed files change too (git checkout, other editors): the server's index of units and tasks must follow.
  const watchers = [DOCUMENT_GLOB, DIRECTORY_GLOB].map((glob) => vscode.workspace.createFileSystemWatcher(glob));
  const clientOptions: LanguageClientOptions = {
    // The directory is not a fenjie document, but its diagnostics and the server's index depend on its edits.
    // Other schemes (git:, diff views) are left out: their copies would report every problem twice.
    documentSelector: [
      { scheme: 'file', language: LANGUAGE_ID },
      { scheme: 'untitled', language: LANGUAGE_ID },
      { scheme: 'file', pattern: DIRECTORY_GLOB },
    ],
    // Settings changes reach the server through its own registration for workspace/didChangeConfiguration.
    synchronize: { fileEvents: watchers },
    // A function, so that the restart after the user grants trust sends the new state.
    initializationOptions: () => ({
      settings: vscode.workspace.getConfiguration().get<Record<string, unknown>>('fenjie') ?? {},
      trusted: vscode.workspace.isTrusted,
    }),
  };
  const lc = new LanguageClient('fenjie', vscode.l10n.t('fenjie language server'), serverOptions, clientOptions);
  client = lc;

  let markReady: () => void = () => undefined;
  let failReady: (reason: unknown) => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    failReady = reject;
  });
  // The client already reports a failed start to the user; a caller that never awaits `ready` must not crash on it.
  ready.catch(() => undefined);
  lc.onNotification(READY_NOTIFICATION, () => markReady());

  const status = new StatusBar(lc);
  lc.onNotification(STATUS_NOTIFICATION, (params: StatusParams) => status.update(params));

  context.subscriptions.push(
    ...watchers,
    status,
    // The server checks as the user types, so there is nothing to start: the command shows the results.
    vscode.commands.registerCommand('fenjie.check', () => vscode.commands.executeCommand('workbench.actions.view.problems')),
    // The server reads files outside the workspace only when trusted, and learns the trust state only when it starts.
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      if (lc.isRunning()) lc.restart().catch((e: unknown) => lc.error(vscode.l10n.t('fenjie could not restart its language server after the workspace was trusted.'), e));
    }),
  );

  // The server renders the preview and the exported files; these only show and save them.
  const previews = registerPreview(context, lc);
  registerExports(context, lc, previews);

  lc.start().catch((e: unknown) => failReady(e));
  return { ready, client: lc };
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}

/** Tasks and problems of the active fenjie document, from the server's status notifications. */
class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('fenjie.status', vscode.StatusBarAlignment.Left, 10);
  private readonly byUri = new Map<string, StatusParams>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly lc: LanguageClient) {
    this.item.name = vscode.l10n.t('fenjie task breakdown');
    this.item.command = 'fenjie.check';
    this.subscriptions = [
      this.item,
      vscode.window.onDidChangeActiveTextEditor(() => this.render()),
      // A language change closes and reopens the document.
      vscode.workspace.onDidOpenTextDocument(() => this.render()),
      vscode.workspace.onDidCloseTextDocument((doc) => {
        this.byUri.delete(doc.uri.toString());
        this.render();
      }),
    ];
    this.render();
  }

  update(params: StatusParams): void {
    // The server may spell the URI differently (percent-encoding of Chinese names); normalise as VS Code does.
    this.byUri.set(this.lc.protocol2CodeConverter.asUri(params.uri).toString(), params);
    this.render();
  }

  private render(): void {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || doc.languageId !== LANGUAGE_ID) {
      this.item.hide();
      return;
    }
    const s = this.byUri.get(doc.uri.toString());
    // Until the server has checked this document there is nothing true to show.
    if (!s) {
      this.item.hide();
      return;
    }
    const problems =
      s.errors + s.warnings === 0
        ? `$(check) ${vscode.l10n.t('No problems')}`
        : `$(error) ${s.errors} $(warning) ${s.warnings}`;
    this.item.text = `$(checklist) ${vscode.l10n.t('Tasks: {0}', s.tasks)}  ${problems}`;
    this.item.tooltip = vscode.l10n.t('Tasks: {0}, errors: {1}, warnings: {2}. Click to show the problems.', s.tasks, s.errors, s.warnings);
    this.item.accessibilityInformation = { label: this.item.tooltip };
    this.item.show();
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
  }
}
