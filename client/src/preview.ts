/**
 * The preview: a webview beside the editor that shows the server's rendering of a fenjie
 * document (the same renderer as the HTML export) and follows the user's typing and cursor.
 * The server draws; this file only shows, and turns clicks into cursor moves.
 *
 * How content reaches the page: the page is built whole (with a fresh nonce) when first
 * shown, when the server's stylesheet changes, and when the panel is hidden or shown after
 * changes (without retainContextWhenHidden a hidden page is discarded, and `webview.html` is
 * what comes back); between those, each new rendering is posted to the page
 * ({type:'update'}), which swaps the content's markup and so keeps the scroll position
 * instead of reloading the page at every keystroke. A hidden preview asks for nothing: it
 * catches up when shown.
 */
import * as crypto from 'node:crypto';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { PREVIEW_REQUEST, type PreviewParams, type PreviewResult } from '../../server/src/protocol.ts';
import { buildPreviewPage, messageHtml, parseWebviewMessage, type HostMessage, type PageLabels, type WebviewMessage } from './previewMessages.ts';

export const PREVIEW_VIEW_TYPE = 'fenjie.preview';
const LANGUAGE_ID = 'fenjie';
/** Milliseconds between the last keystroke and the new rendering. */
const DEBOUNCE_MS = 150;

/** One preview per document, keyed by the document's URI. */
export class PreviewManager implements vscode.Disposable {
  private readonly previews = new Map<string, Preview>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly lc: LanguageClient,
    private readonly extensionUri: vscode.Uri,
  ) {
    this.subscriptions = [
      vscode.workspace.onDidChangeTextDocument((e) => {
        // Events without changes only report the dirty state.
        if (e.contentChanges.length > 0) this.previews.get(e.document.uri.toString())?.documentChanged();
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => {
        const selection = e.selections[0];
        if (selection) this.previews.get(e.textEditor.document.uri.toString())?.cursorMoved(selection.active.line);
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => this.previews.get(doc.uri.toString())?.dispose()),
    ];
  }

  /** Shows the document's preview, creating it if needed. */
  show(document: vscode.TextDocument, toSide: boolean): Preview {
    const existing = this.previews.get(document.uri.toString());
    if (existing) {
      existing.reveal(toSide);
      return existing;
    }
    const key = document.uri.toString();
    const preview = new Preview(this.lc, this.extensionUri, document, toSide, () => this.previews.delete(key));
    this.previews.set(key, preview);
    return preview;
  }

  /** The preview the user is looking at (its panel has focus), if any. */
  active(): Preview | undefined {
    for (const p of this.previews.values()) if (p.isActive) return p;
    return undefined;
  }

  dispose(): void {
    for (const p of [...this.previews.values()]) p.dispose();
    for (const d of this.subscriptions) d.dispose();
  }
}

interface Content {
  html: string;
  css: string;
  byUnit: boolean;
}

export class Preview implements vscode.Disposable {
  private readonly panel: vscode.WebviewPanel;
  private readonly subscriptions: vscode.Disposable[] = [];
  private byUnit = false;
  private paper = false;
  /** The cursor's line in the source, highlighted in the preview. */
  private line: number | undefined;
  private content: Content;
  /** Requests are numbered; an answer older than the one shown is dropped. */
  private requested = 0;
  private shownRequest = 0;
  private shownVersion = -1;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** The stylesheet in the page as last built; undefined before the first build. */
  private pageCss: string | undefined;
  /** Changes since the page was built (posted, or waiting while hidden): `webview.html` is out of date. */
  private stale = false;
  /** The document changed while the panel was hidden: ask again when shown. */
  private changedWhileHidden = false;
  private wasVisible = true;
  private disposed = false;

  constructor(
    private readonly lc: LanguageClient,
    private readonly extensionUri: vscode.Uri,
    readonly document: vscode.TextDocument,
    toSide: boolean,
    private readonly onDispose: () => void,
  ) {
    const media = vscode.Uri.joinPath(extensionUri, 'client', 'media');
    this.panel = vscode.window.createWebviewPanel(
      PREVIEW_VIEW_TYPE,
      this.panelTitle(''),
      { viewColumn: toSide ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active, preserveFocus: toSide },
      { enableScripts: true, localResourceRoots: [media], retainContextWhenHidden: false, enableFindWidget: true },
    );
    this.line = editorOf(document)?.selection.active.line;
    this.content = { html: messageHtml(vscode.l10n.t('Preparing the preview…')), css: '', byUnit: false };
    this.subscriptions.push(
      this.panel.onDidDispose(() => this.dispose()),
      this.panel.webview.onDidReceiveMessage((raw: unknown) => {
        const message = parseWebviewMessage(raw);
        if (message) void this.received(message);
      }),
      this.panel.onDidChangeViewState(() => this.viewStateChanged()),
    );
    this.buildPage();
    void this.refresh();
  }

  get isActive(): boolean {
    return !this.disposed && this.panel.active;
  }

  reveal(toSide: boolean): void {
    this.panel.reveal(this.panel.viewColumn, toSide);
  }

  toggleByUnit(): void {
    this.byUnit = !this.byUnit;
    void this.refresh();
  }

  togglePaper(): void {
    this.paper = !this.paper;
    this.post({ type: 'paper', on: this.paper });
  }

  documentChanged(): void {
    if (!this.panel.visible) {
      this.changedWhileHidden = true;
      return;
    }
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refresh();
    }, DEBOUNCE_MS);
  }

  cursorMoved(line: number): void {
    if (line === this.line) return;
    this.line = line;
    this.post({ type: 'highlight', line });
  }

  /** Asks the server for the rendering and shows it, unless a newer one is shown first. */
  private async refresh(): Promise<void> {
    const request = ++this.requested;
    const byUnit = this.byUnit;
    const params: PreviewParams = { uri: this.lc.code2ProtocolConverter.asUri(this.document.uri), byUnit };
    let content: Content;
    let result: PreviewResult | null = null;
    try {
      result = await this.lc.sendRequest<PreviewResult | null>(PREVIEW_REQUEST, params);
      if (result === null) {
        content = { html: messageHtml(vscode.l10n.t('This document cannot be previewed: it is not a task breakdown table, or the language server has not opened it yet.')), css: '', byUnit };
      } else if (!isPreviewResult(result)) {
        throw new Error(vscode.l10n.t('The language server sent a preview in an unknown form.'));
      } else {
        content = { html: result.html, css: result.css, byUnit };
      }
    } catch (e) {
      result = null;
      const reason = e instanceof Error ? e.message : String(e);
      content = { html: messageHtml(vscode.l10n.t('The preview could not be made: {0}', reason)), css: '', byUnit };
    }
    if (this.disposed || request < this.shownRequest) return;
    if (result && result.version < this.shownVersion) return;
    this.shownRequest = request;
    if (result) {
      this.shownVersion = result.version;
      this.panel.title = this.panelTitle(result.title);
    }
    this.content = content;
    if (content.css !== this.pageCss) this.rebuild();
    else this.post({ type: 'update', html: content.html, byUnit: content.byUnit });
  }

  private async received(message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'toggleByUnit':
        this.toggleByUnit();
        return;
      case 'togglePaper':
        this.togglePaper();
        return;
      case 'reveal':
        await this.revealLine(message.line);
        return;
    }
  }

  /** Puts the cursor at the start of `line` in the source editor and scrolls it to the middle. */
  private async revealLine(line: number): Promise<void> {
    const doc = this.document;
    if (doc.isClosed) return;
    const target = Math.max(0, Math.min(line, doc.lineCount - 1));
    const position = new vscode.Position(target, 0);
    const range = new vscode.Range(position, position);
    // The editor where the document is shown already; else a column other than the preview's.
    const column = editorOf(doc)?.viewColumn ?? (this.panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Beside : vscode.ViewColumn.One);
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: column, preserveFocus: false, selection: range });
    editor.selection = new vscode.Selection(position, position);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenter);
  }

  private viewStateChanged(): void {
    const visible = this.panel.visible;
    if (visible === this.wasVisible) return;
    this.wasVisible = visible;
    // Without retainContextWhenHidden a hidden page is discarded and `webview.html` loaded
    // again when shown: build it as it should be now, once, while nobody sees it.
    if (this.stale) this.buildPage();
    if (visible && this.changedWhileHidden) {
      this.changedWhileHidden = false;
      void this.refresh();
    }
  }

  /** The page built anew if visible; a hidden one is built when it is hidden or shown. */
  private rebuild(): void {
    if (this.panel.visible) this.buildPage();
    else this.stale = true;
  }

  /** Posts to a visible page; a hidden one gets the change when its page is next built. */
  private post(message: HostMessage): void {
    if (this.disposed) return;
    this.stale = true;
    if (this.panel.visible) void this.panel.webview.postMessage(message).then(undefined, () => undefined);
  }

  private buildPage(): void {
    if (this.disposed) return;
    const webview = this.panel.webview;
    const script = vscode.Uri.joinPath(this.extensionUri, 'client', 'media', 'preview.js');
    webview.html = buildPreviewPage({
      cspSource: webview.cspSource,
      // A new nonce for each page: one seen in an old page is of no use in the next.
      nonce: crypto.randomBytes(18).toString('base64'),
      scriptUri: webview.asWebviewUri(script).toString(),
      title: this.panel.title,
      css: this.content.css,
      html: this.content.html,
      byUnit: this.content.byUnit,
      paper: this.paper,
      line: this.line,
      labels: pageLabels(),
    });
    this.pageCss = this.content.css;
    this.stale = false;
  }

  private panelTitle(title: string): string {
    return vscode.l10n.t('Preview {0}', title.trim() || documentName(this.document));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.onDispose();
    for (const d of this.subscriptions) d.dispose();
    this.panel.dispose();
  }
}

function pageLabels(): PageLabels {
  return {
    toolbar: vscode.l10n.t('Preview options'),
    tables: vscode.l10n.t('Tables'),
    tablesTooltip: vscode.l10n.t('Show the task breakdown tables'),
    byUnit: vscode.l10n.t('By unit'),
    byUnitTooltip: vscode.l10n.t('Show the tasks of each unit'),
    paper: vscode.l10n.t('Paper'),
    paperTooltip: vscode.l10n.t('Show the tables as they look on paper'),
  };
}

function isPreviewResult(value: unknown): value is PreviewResult {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return typeof r['version'] === 'number' && typeof r['html'] === 'string' && typeof r['css'] === 'string' && typeof r['title'] === 'string';
}

function editorOf(document: vscode.TextDocument): vscode.TextEditor | undefined {
  const active = vscode.window.activeTextEditor;
  if (active?.document === document) return active;
  return vscode.window.visibleTextEditors.find((e) => e.document === document);
}

/** The document's file name (通知.fj.md), or an untitled document's name. */
export function documentName(document: vscode.TextDocument): string {
  const p = document.uri.path;
  return p.slice(p.lastIndexOf('/') + 1) || document.uri.toString();
}

/** The document a command is about: its URI argument (explorer, editor title), else the preview in focus, else the active editor. */
export async function commandDocument(arg: unknown, previews: PreviewManager): Promise<vscode.TextDocument | undefined> {
  if (arg instanceof vscode.Uri) {
    try {
      const doc = await vscode.workspace.openTextDocument(arg);
      if (doc.languageId === LANGUAGE_ID) return doc;
    } catch (e) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Cannot open {0}: {1}', arg.scheme === 'file' ? arg.fsPath : arg.toString(), e instanceof Error ? e.message : String(e)));
      return undefined;
    }
  } else {
    const preview = previews.active();
    if (preview && !preview.document.isClosed) return preview.document;
    const doc = vscode.window.activeTextEditor?.document;
    if (doc?.languageId === LANGUAGE_ID) return doc;
  }
  void vscode.window.showWarningMessage(vscode.l10n.t('Open a task breakdown table (.fj.md) first.'));
  return undefined;
}

/** Registers the preview's commands; returns the manager, for the exports. */
export function registerPreview(context: vscode.ExtensionContext, lc: LanguageClient): PreviewManager {
  const previews = new PreviewManager(lc, context.extensionUri);

  const open = async (arg: unknown, toSide: boolean): Promise<void> => {
    const doc = await commandDocument(arg, previews);
    if (!doc) return;
    // From the explorer the document may not be in an editor: show it, since the preview follows
    // the open document and closes with it.
    const opened = arg instanceof vscode.Uri && !editorOf(doc);
    if (opened) await vscode.window.showTextDocument(doc, { preview: false });
    previews.show(doc, toSide || opened);
  };
  /** The preview a toggle acts on: the focused one, else the active editor's, shown (beside, without focus) if needed. */
  const target = async (): Promise<Preview | undefined> => {
    const active = previews.active();
    if (active) return active;
    const doc = await commandDocument(undefined, previews);
    return doc ? previews.show(doc, true) : undefined;
  };

  context.subscriptions.push(
    previews,
    vscode.commands.registerCommand('fenjie.showPreview', (arg: unknown) => open(arg, false)),
    vscode.commands.registerCommand('fenjie.showPreviewToSide', (arg: unknown) => open(arg, true)),
    vscode.commands.registerCommand('fenjie.togglePreviewByUnit', async () => (await target())?.toggleByUnit()),
    vscode.commands.registerCommand('fenjie.togglePaper', async () => (await target())?.togglePaper()),
  );
  return previews;
}
