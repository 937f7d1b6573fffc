import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { ROOT } from './helpers.ts';
import { SERVER_NODE_FLAGS } from '../server/src/protocol.ts';

/*
 * The language server spoken to in raw JSON-RPC frames, as a careless or hostile client
 * would: requests before `initialize`, and requests and notifications with null, missing or
 * wrongly typed params. Every request gets an answer (a result, or an error that says in
 * Chinese what is wrong), never the text of a JavaScript exception, and the server stays up.
 */

interface Reply {
  id: number;
  result?: unknown;
  error?: { code: number; message: string };
}

class RawServer {
  readonly child: ChildProcessWithoutNullStreams;
  private buffer = Buffer.alloc(0);
  private readonly replies = new Map<number, Reply>();
  private readonly waiting = new Map<number, (r: Reply) => void>();
  private nextId = 1;
  stderr = '';

  constructor() {
    const script = path.join(ROOT, 'out', 'server.cjs');
    if (!fs.existsSync(script)) throw new Error(`${script} is missing: run \`npm run build\` first`);
    this.child = spawn(process.execPath, [...SERVER_NODE_FLAGS, script, '--stdio'], { stdio: 'pipe' });
    this.child.stderr.on('data', (b: Buffer) => (this.stderr += b.toString()));
    this.child.stdout.on('data', (b: Buffer) => this.read(b));
  }

  private read(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, end).toString())?.[1]);
      if (this.buffer.length < end + 4 + length) return;
      const message = JSON.parse(this.buffer.subarray(end + 4, end + 4 + length).toString('utf8')) as { id?: number; method?: string } & Reply;
      this.buffer = this.buffer.subarray(end + 4 + length);
      if (message.method !== undefined) {
        // A request of the server's own (registerCapability and the like): answer it.
        if (message.id !== undefined) this.send({ jsonrpc: '2.0', id: message.id, result: null });
        continue;
      }
      if (typeof message.id !== 'number') continue;
      const w = this.waiting.get(message.id);
      if (w) w(message);
      else this.replies.set(message.id, message);
    }
  }

  private send(message: unknown): void {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.child.stdin.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]));
  }

  /** Sends a request with exactly these params (`undefined`: no params member) and waits for its reply. */
  request(method: string, params?: unknown): Promise<Reply> {
    const id = this.nextId++;
    this.send({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) });
    const got = this.replies.get(id);
    if (got) return Promise.resolve(got);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no reply to ${method} in 20 s; stderr: ${this.stderr}`)), 20_000);
      this.waiting.set(id, (r) => {
        clearTimeout(timer);
        resolve(r);
      });
    });
  }

  notify(method: string, params?: unknown): void {
    this.send({ jsonrpc: '2.0', method, ...(params === undefined ? {} : { params }) });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      await this.request('shutdown').catch(() => undefined);
      this.notify('exit');
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
  }
}

const DOC = '# 表\n\n## 一、甲类\n\n1. 任务甲。（牵头单位：财政局；完成时限：12月底前）\n';

/** An error a user can read: a JSON-RPC error code, a Chinese message, no trace of a JavaScript exception. */
function assertCleanError(r: Reply, code: number, what: string): void {
  assert.ok(r.error, `${what}: expected an error, got ${JSON.stringify(r.result)}`);
  assert.equal(r.error.code, code, `${what}: ${JSON.stringify(r.error)}`);
  assert.match(r.error.message, /[\u4e00-\u9fff]/, `${what}: ${r.error.message}`);
  assert.doesNotMatch(r.error.message, /TypeError|Cannot (?:read|destructure)|undefined|is not a function|failed with message/, `${what}: ${r.error.message}`);
}

test('before initialize every request gets ServerNotInitialized (-32002) and notifications are dropped', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fenjie-raw-'));
  const server = new RawServer();
  try {
    const uri = URI.file(path.join(dir, 'doc.fj.md')).toString();
    server.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'fenjie', version: 1, text: DOC } });
    const early: [string, unknown][] = [
      ['textDocument/hover', { textDocument: { uri }, position: { line: 4, character: 12 } }],
      ['textDocument/documentSymbol', { textDocument: { uri } }],
      ['fenjie/preview', { uri, byUnit: false }],
      ['fenjie/export', { uri, format: 'html', byUnit: false }],
      ['workspace/executeCommand', { command: 'fenjie.addToDirectory', arguments: [{ uri, name: '财政局' }] }],
      ['textDocument/declaration', { textDocument: { uri }, position: { line: 0, character: 0 } }],
      ['no/such/method', null],
      ['shutdown', undefined],
    ];
    for (const [method, params] of early) assertCleanError(await server.request(method, params), -32002, method);
    const init = await server.request('initialize', { processId: null, rootUri: URI.file(dir).toString(), capabilities: {} });
    assert.ok(init.result, JSON.stringify(init.error));
    server.notify('initialized', {});
    // The didOpen sent before initialize was dropped: the server knows no such document.
    const symbols = await server.request('textDocument/documentSymbol', { textDocument: { uri } });
    assert.deepEqual(symbols.result, []);
    // After initialize, an unknown method is MethodNotFound.
    assertCleanError(await server.request('no/such/method', {}), -32601, 'no/such/method after initialize');
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('malformed params: each request answered with InvalidParams in Chinese, or a result; the server stays up', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fenjie-raw-'));
  const server = new RawServer();
  try {
    await server.request('initialize', { processId: null, rootUri: URI.file(dir).toString(), capabilities: {} });
    server.notify('initialized', {});
    const uri = URI.file(path.join(dir, 'doc.fj.md')).toString();
    // Malformed notifications first: none may take the server down or open a document.
    for (const params of [null, 5, {}, { textDocument: null }, { textDocument: { uri: 7, text: 1 } }, { textDocument: { uri: 'a b://x', languageId: 'fenjie', version: 1, text: DOC } }]) {
      server.notify('textDocument/didOpen', params);
      server.notify('textDocument/didChange', params);
      server.notify('textDocument/didClose', params);
    }
    server.notify('workspace/didChangeWatchedFiles', { changes: [null, { uri: 3 }] });
    server.notify('workspace/didChangeConfiguration', null);
    server.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'fenjie', version: 1, text: DOC } });
    server.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ range: { start: { line: 9, character: 0 } }, text: 'x' }] });
    server.notify('textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: null });

    const doc = { uri };
    const position = { line: 4, character: 12 };
    const range = { start: { line: 0, character: 0 }, end: { line: 4, character: 0 } };
    const bad = (extra: Record<string, unknown>): unknown[] => [
      undefined,
      null,
      42,
      'text',
      [],
      {},
      { textDocument: null },
      { textDocument: { uri: 5 } },
      { textDocument: { uri: 'a b://x' }, ...extra },
      { textDocument: doc, position: null, range: null, context: null },
      { textDocument: doc, position: { line: -1, character: 'x' }, range: { start: { line: 3, character: 0 }, end: { line: 1, character: 0 } } },
    ];
    const cases: [string, unknown[]][] = [
      ['textDocument/completion', bad({ position })],
      ['textDocument/hover', bad({ position })],
      ['textDocument/definition', bad({ position })],
      ['textDocument/references', [...bad({ position, context: {} }), { textDocument: doc, position }]],
      ['textDocument/prepareRename', bad({ position })],
      ['textDocument/rename', [...bad({ position, newName: 'x' }), { textDocument: doc, position }, { textDocument: doc, position, newName: 3 }]],
      ['textDocument/documentSymbol', bad({})],
      ['textDocument/foldingRange', bad({})],
      ['textDocument/formatting', bad({})],
      ['textDocument/inlayHint', bad({ range })],
      [
        'textDocument/codeAction',
        [...bad({ range, context: { diagnostics: [] } }), { textDocument: doc, range }, { textDocument: doc, range, context: { diagnostics: [null] } }, { textDocument: doc, range, context: { diagnostics: [{ message: 'x' }] } }, { textDocument: doc, range, context: { diagnostics: [], only: 'quickfix' } }],
      ],
      ['workspace/executeCommand', [undefined, null, {}, { command: 5 }, { command: 'fenjie.addToDirectory' }, { command: 'fenjie.addToDirectory', arguments: [null] }, { command: 'fenjie.addToDirectory', arguments: [{ uri: 1, name: 2 }] }, { command: 'no.such' }]],
      ['fenjie/preview', [undefined, null, 42, {}, { uri: 5 }, { uri: 'a b://x' }, { uri, byUnit: 'yes' }]],
      ['fenjie/export', [undefined, null, {}, { uri: 5, format: 'html' }, { uri, format: 7 }, { uri, format: 'html', byUnit: 'yes' }]],
    ];
    let answered = 0;
    for (const [method, list] of cases) {
      for (const params of list) {
        const r = await server.request(method, params);
        const what = `${method} ${JSON.stringify(params)}`;
        if (r.error) assertCleanError(r, -32602, what);
        else assert.ok('result' in r, `${what}: neither a result nor an error`);
        answered++;
      }
    }
    assert.ok(answered > 100, `${answered} requests`);
    // Still up, and the document opened in good form is there, as it was before the malformed edits.
    const symbols = await server.request('textDocument/documentSymbol', { textDocument: doc });
    assert.match(JSON.stringify(symbols.result), /任务甲/);
    const preview = await server.request('fenjie/preview', { uri, byUnit: false });
    assert.match(JSON.stringify(preview.result), /财政局/);
    assert.equal(server.child.exitCode, null);
    assert.doesNotMatch(server.stderr, /TypeError|Unhandled/);
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
