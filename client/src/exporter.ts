/**
 * The exports: the server makes the file (HTML, Word, Excel); this file asks where to save
 * it, and writes it without ever leaving a half-written file or touching anything else.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { EXPORT_REQUEST, type ExportFormat, type ExportParams, type ExportResult } from '../../server/src/protocol.ts';
import { EXPORT_EXTENSIONS, defaultExportName, refusedTarget, tempFileName } from './exportNames.ts';
import { commandDocument, documentName, type PreviewManager } from './preview.ts';

const LANGUAGE_ID = 'fenjie';

export function registerExports(context: vscode.ExtensionContext, lc: LanguageClient, previews: PreviewManager): void {
  const run = async (arg: unknown, format: ExportFormat, byUnit: boolean): Promise<void> => {
    const doc = await commandDocument(arg, previews);
    if (doc) await exportDocument(lc, doc, format, byUnit);
  };
  context.subscriptions.push(
    vscode.commands.registerCommand('fenjie.exportHtml', (arg: unknown) => run(arg, 'html', false)),
    vscode.commands.registerCommand('fenjie.exportWord', (arg: unknown) => run(arg, 'docx', false)),
    vscode.commands.registerCommand('fenjie.exportExcel', (arg: unknown) => run(arg, 'xlsx', false)),
    vscode.commands.registerCommand('fenjie.exportByUnit', async (arg: unknown) => {
      const doc = await commandDocument(arg, previews);
      if (!doc) return;
      const format = await pickFormat();
      if (format) await exportDocument(lc, doc, format, true);
    }),
  );
}

async function pickFormat(): Promise<ExportFormat | undefined> {
  const items: (vscode.QuickPickItem & { format: ExportFormat })[] = [
    { label: 'Word', description: '.docx', detail: formatLabel('docx'), format: 'docx' },
    { label: 'Excel', description: '.xlsx', detail: formatLabel('xlsx'), format: 'xlsx' },
    { label: 'HTML', description: '.html', detail: formatLabel('html'), format: 'html' },
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Export by Unit'),
    placeHolder: vscode.l10n.t('Choose the file format'),
  });
  return picked?.format;
}

function formatLabel(format: ExportFormat): string {
  switch (format) {
    case 'html':
      return vscode.l10n.t('Web page');
    case 'docx':
      return vscode.l10n.t('Word document');
    case 'xlsx':
      return vscode.l10n.t('Excel workbook');
  }
}

/** Where the save dialog starts: beside the document, or for an untitled one in the first workspace folder (else the home folder). */
function defaultTarget(doc: vscode.TextDocument, name: string): vscode.Uri {
  if (doc.uri.scheme !== 'untitled') return doc.uri.with({ path: path.posix.join(path.posix.dirname(doc.uri.path), name) });
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  return folder ? vscode.Uri.joinPath(folder, name) : vscode.Uri.file(path.join(os.homedir(), name));
}

/** How a file is named in messages: its path on disk, or its URI when it has none. */
function display(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? uri.fsPath : uri.toString(true);
}

type Outcome = { kind: 'done' } | { kind: 'cancelled' } | { kind: 'failed'; message: string };

export async function exportDocument(lc: LanguageClient, doc: vscode.TextDocument, format: ExportFormat, byUnit: boolean): Promise<void> {
  const extension = EXPORT_EXTENSIONS[format];
  const name = defaultExportName(documentName(doc), format, byUnit);
  const target = await vscode.window.showSaveDialog({
    defaultUri: defaultTarget(doc, name),
    filters: { [formatLabel(format)]: [extension] },
    saveLabel: vscode.l10n.t('Export'),
    title: byUnit ? vscode.l10n.t('Export {0} by unit', documentName(doc)) : vscode.l10n.t('Export {0}', documentName(doc)),
  });
  if (!target) return;
  if (isRefused(target, doc)) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Cannot export to {0}: it is a task breakdown table source file, which the export would overwrite. Choose another file name.', display(target)));
    return;
  }

  const outcome = await vscode.window.withProgress<Outcome>(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Exporting…'), cancellable: true },
    async (_progress, token) => {
      const params: ExportParams = { uri: lc.code2ProtocolConverter.asUri(doc.uri), format, byUnit };
      let result: ExportResult | null;
      try {
        result = await lc.sendRequest<ExportResult | null>(EXPORT_REQUEST, params, token);
      } catch (e) {
        if (token.isCancellationRequested) return { kind: 'cancelled' };
        return { kind: 'failed', message: vscode.l10n.t('Export failed: {0}', errorText(e)) };
      }
      if (token.isCancellationRequested) return { kind: 'cancelled' };
      const bytes = exportBytes(result);
      if (typeof bytes === 'string') return { kind: 'failed', message: vscode.l10n.t('Export failed: {0}', bytes) };
      try {
        await writeAtomically(target, bytes);
      } catch (e) {
        lc.outputChannel.appendLine(`fenjie export: cannot write ${display(target)}: ${errorText(e)}`);
        return {
          kind: 'failed',
          message: vscode.l10n.t('Cannot write {0}: the file may be open in another program, or read-only. Close the file or choose another location, then try again.', display(target)),
        };
      }
      return { kind: 'done' };
    },
  );

  if (outcome.kind === 'failed') {
    void vscode.window.showErrorMessage(outcome.message);
    return;
  }
  if (outcome.kind === 'cancelled') return;
  const open = vscode.l10n.t('Open');
  const reveal = vscode.l10n.t('Show in Folder');
  const choice = await vscode.window.showInformationMessage(vscode.l10n.t('Exported to {0}', display(target)), open, reveal);
  // The system's program for the type: Word, Excel, or the default browser for HTML.
  if (choice === open) await vscode.env.openExternal(target);
  else if (choice === reveal) await vscode.commands.executeCommand('revealFileInOS', target);
}

/** The file's bytes, or why there are none (for the user). */
function exportBytes(result: unknown): Uint8Array | string {
  if (typeof result === 'object' && result !== null) {
    const r = result as Record<string, unknown>;
    if (typeof r['error'] === 'string') return r['error'];
    if (typeof r['data'] === 'string') {
      const bytes = Buffer.from(r['data'], 'base64');
      if (bytes.length > 0) return bytes;
    }
  }
  return vscode.l10n.t('the language server sent no file.');
}

/**
 * Refuses to overwrite the document itself or any open fenjie document (or any file named
 * *.fj.md): an export over a source would destroy it.
 */
function isRefused(target: vscode.Uri, doc: vscode.TextDocument): boolean {
  const sources = [doc, ...vscode.workspace.textDocuments.filter((d) => d.languageId === LANGUAGE_ID || /\.fj\.md$/i.test(d.uri.path))];
  if (target.scheme !== 'file') {
    return /\.fj\.md$/i.test(target.path) || sources.some((d) => d.uri.toString() === target.toString());
  }
  const files = sources.filter((d) => d.uri.scheme === 'file').map((d) => d.uri.fsPath);
  return refusedTarget(target.fsPath, files, { platform: process.platform, realpath }) !== undefined;
}

function realpath(file: string): string | undefined {
  try {
    return fs.realpathSync.native(file);
  } catch {
    return undefined;
  }
}

/**
 * Writes `bytes` to `target` in one step as seen from outside: into a temporary file in the
 * same folder, then renamed over the target. On failure the temporary file is removed and
 * the target left as it was.
 */
async function writeAtomically(target: vscode.Uri, bytes: Uint8Array): Promise<void> {
  const folder = target.with({ path: path.posix.dirname(target.path) });
  const temp = vscode.Uri.joinPath(folder, tempFileName(path.posix.basename(target.path), crypto.randomBytes(6).toString('hex')));
  // A file its owner marked read-only is not replaced, even where the folder would allow it.
  const existing = await vscode.workspace.fs.stat(target).then(
    (s) => s,
    () => undefined,
  );
  if (existing?.permissions !== undefined && (existing.permissions & vscode.FilePermission.Readonly) !== 0) {
    throw new Error(vscode.l10n.t('{0} is read-only: fenjie does not replace it. Remove the read-only attribute or choose another file name.', target.fsPath));
  }
  try {
    await vscode.workspace.fs.writeFile(temp, bytes);
    await vscode.workspace.fs.rename(temp, target, { overwrite: true });
  } catch (e) {
    try {
      await vscode.workspace.fs.delete(temp, { useTrash: false });
    } catch {
      // It was never written.
    }
    throw e;
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
