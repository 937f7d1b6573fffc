/**
 * The custom messages between the fenjie client and server, declared once. Each says who
 * sends it. Standard LSP messages are not repeated here.
 */

/** Server → client, once the first workspace index is built: the extension's API resolves `ready` on it. */
export const READY_NOTIFICATION = 'fenjie/ready';

/** Server → client, after each check of the active document: drives the status bar item. */
export const STATUS_NOTIFICATION = 'fenjie/status';

export interface StatusParams {
  uri: string;
  version: number;
  tasks: number;
  errors: number;
  warnings: number;
}

/** Client → server command: add a unit name to the document's 单位名录 (a code action runs it). */
export const ADD_TO_DIRECTORY_COMMAND = 'fenjie.addToDirectory';

export interface AddToDirectoryArgs {
  /** The document whose 单位名录 gets the name. */
  uri: string;
  name: string;
}

/**
 * Node options the server runs with, whoever starts it (the extension, `fenjie lsp`): a small
 * young generation, and an old generation that grows by half at most before it is collected.
 * The server keeps a few tens of MB alive for hours; V8's defaults hold far more in reserve,
 * and how much varied from run to run (155–215 MB resident). Measured on the 2,000-task
 * document (`npm run bench`): about 130 MB resident, edit → diagnostics p95 still under 90 ms.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2', '--heap-growing-percent=50'];

/** Client → server: the preview of a document, drawn by the server's renderer (the same one as the HTML export). */
export const PREVIEW_REQUEST = 'fenjie/preview';

export interface PreviewParams {
  uri: string;
  /** The 按单位 view instead of the tables. */
  byUnit: boolean;
}

/**
 * The preview's content: markup and CSS that the webview page wraps with its own CSP and
 * nonce. Task rows carry `data-line` (0-based editor line of the task's first line).
 * Null when the document is not open or not a fenjie document.
 */
export interface PreviewResult {
  version: number;
  html: string;
  css: string;
  /** For the panel's title: the first table's title, else the document's name. */
  title: string;
}

/** Client → server: a document exported to a file format; the client saves the bytes. */
export const EXPORT_REQUEST = 'fenjie/export';

/** The file formats an export makes (JSON is the CLI's alone). */
export const EXPORT_FORMATS = ['html', 'docx', 'xlsx'] as const;

export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportParams {
  uri: string;
  format: ExportFormat;
  byUnit: boolean;
}

/** The file's bytes (base64), or why there are none (a message for the user, in Chinese). */
export type ExportResult = { data: string } | { error: string };
