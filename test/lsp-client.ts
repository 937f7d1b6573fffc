import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { URI } from 'vscode-uri';
import { ROOT } from './helpers.ts';
import { SERVER_NODE_FLAGS } from '../server/src/protocol.ts';

/**
 * A language client for tests: the built server (out/server.cjs) in a child process,
 * spoken to through real JSON-RPC over its stdio, as Neovim or any LSP client would.
 */
export class LspClient {
  readonly connection: ProtocolConnection;
  readonly child: ChildProcessWithoutNullStreams;
  /** Every publishDiagnostics received, in order. */
  readonly published: PublishDiagnosticsParams[] = [];
  /** Every workspace/applyEdit the server asked for. */
  readonly appliedEdits: WorkspaceEdit[] = [];
  /** Every window/showMessage the server sent. */
  readonly messages: { type: number; message: string }[] = [];
  private waiters: Array<{ test: () => boolean; resolve: () => void }> = [];
  private versions = new Map<string, number>();
  readonly ready: Promise<void>;
  stderr = '';

  /** `args`: how to start the server; by default as the extension starts it: its bundle, out/server.cjs, with its node options. */
  constructor(readonly workspace: string, settings: Record<string, unknown> = {}, args = [...SERVER_NODE_FLAGS, path.join(ROOT, 'out', 'server.cjs'), '--stdio']) {
    const script = args.find((a) => !a.startsWith('--')) as string;
    if (!fs.existsSync(script)) throw new Error(`${script} is missing: run \`npm run build\` first`);
    this.child = spawn(process.execPath, args, { stdio: 'pipe' });
    this.child.stderr.on('data', (b: Buffer) => (this.stderr += b.toString()));
    this.connection = createProtocolConnection(new StreamMessageReader(this.child.stdout), new StreamMessageWriter(this.child.stdin));
    this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.published.push(p);
      this.poke();
    });
    let readyResolve!: () => void;
    this.ready = new Promise((r) => (readyResolve = r));
    this.connection.onNotification('fenjie/ready', () => readyResolve());
    this.connection.onNotification('fenjie/status', () => this.poke());
    this.connection.onRequest('workspace/applyEdit', (p: { edit: WorkspaceEdit }) => {
      this.appliedEdits.push(p.edit);
      this.poke();
      return { applied: true };
    });
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onNotification('window/showMessage', (p: { type: number; message: string }) => {
      this.messages.push(p);
      this.poke();
    });
    this.connection.onRequest('workspace/configuration', () => [settings]);
    this.connection.listen();
    this.settings = settings;
  }

  private readonly settings: Record<string, unknown>;

  /**
   * `trusted`: false as VS Code says in Restricted Mode. `folders`: the workspace folders
   * (paths), by default the workspace; an empty list opens no folder (a single file).
   */
  async start(options: { trusted?: boolean; folders?: string[] } = {}): Promise<void> {
    const folders = options.folders ?? [this.workspace];
    await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: folders.length ? URI.file(folders[0] as string).toString() : null,
      workspaceFolders: folders.length ? folders.map((f, i) => ({ uri: URI.file(f).toString(), name: `w${i}` })) : null,
      capabilities: {
        textDocument: { publishDiagnostics: { versionSupport: true } },
        workspace: { applyEdit: true, workspaceEdit: { documentChanges: true }, workspaceFolders: true },
      },
      initializationOptions: { settings: this.settings, trusted: options.trusted ?? true },
    });
    this.connection.sendNotification('initialized', {});
    await this.ready;
  }

  uri(rel: string): string {
    return URI.file(path.join(this.workspace, rel)).toString();
  }

  open(rel: string, text?: string, languageId = 'fenjie'): string {
    const uri = this.uri(rel);
    const content = text ?? fs.readFileSync(path.join(this.workspace, rel), 'utf8');
    this.versions.set(uri, 1);
    this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text: content } });
    return uri;
  }

  /** Replaces a document's whole text; returns the new version. */
  change(uri: string, text: string): number {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    return version;
  }

  /** An incremental edit: `text` replaces the range. */
  edit(uri: string, range: { start: { line: number; character: number }; end: { line: number; character: number } }, text: string): number {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text }] });
    return version;
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  /** The first diagnostics published for `uri` at `version` (or later), waiting for them. */
  diagnostics(uri: string, version?: number): Promise<PublishDiagnosticsParams> {
    const find = (): PublishDiagnosticsParams | undefined => {
      for (let i = this.published.length - 1; i >= 0; i--) {
        const p = this.published[i] as PublishDiagnosticsParams;
        if (p.uri === uri && (version === undefined || (p.version ?? 0) >= version)) return p;
      }
      return undefined;
    };
    return this.until(() => find() !== undefined, `diagnostics for ${uri} v${version}`).then(() => find() as PublishDiagnosticsParams);
  }

  /** Waits until `test` holds, re-testing on every message from the server; fails after 20 s. */
  until(test: () => boolean, what: string): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`waited 20 s for ${what}; server stderr: ${this.stderr}`)), 20_000);
      this.waiters.push({
        test,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  private poke(): void {
    this.waiters = this.waiters.filter((w) => {
      if (!w.test()) return true;
      w.resolve();
      return false;
    });
  }

  async stop(): Promise<void> {
    try {
      await this.connection.sendRequest('shutdown');
      this.connection.sendNotification('exit');
    } catch {
      // Already gone.
    }
    await new Promise<void>((r) => {
      if (this.child.exitCode !== null) return r();
      const t = setTimeout(() => {
        this.child.kill();
        r();
      }, 3000);
      this.child.on('exit', () => {
        clearTimeout(t);
        r();
      });
    });
    this.connection.dispose();
  }
}
