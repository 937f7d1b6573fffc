import type { Analysis } from '../engine/index.ts';
import type { Settings } from '../settings.ts';

/**
 * The language service: the editor features of fenjie over the engine's model. It speaks
 * LSP's data types (vscode-languageserver-types) but knows no connection, no VS Code and
 * no file system: the server (server/src/lsp) hands it the documents.
 */

/** A checked document, open in the editor or read from the workspace. */
export interface ServiceDocument {
  uri: string;
  /** File system path, for the 单位名录 and for edits in other files. */
  path: string;
  /** The editor's version; null for a document read from disk. */
  version: number | null;
  text: string;
  analysis: Analysis;
}

export interface ServiceWorkspace {
  /** Every known document (open ones as edited, the rest as on disk), each once. */
  documents(): Iterable<ServiceDocument>;
  get(uri: string): ServiceDocument | undefined;
  uriOf(path: string): string;
  pathOf(uri: string): string;
  /** A file's text: the editor's buffer when it is open, else the disk's; undefined if none. */
  readText(path: string): string | undefined;
  /**
   * Whether an edit may create or change the file at `path` for the document at `from`: in
   * VS Code's Restricted Mode, only inside the workspace. Absent: anywhere.
   */
  mayWrite?(path: string, from?: string): boolean;
  settings: Settings;
}
