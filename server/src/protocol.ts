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
