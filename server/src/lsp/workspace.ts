import * as fs from 'node:fs';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { analyze, buildModel, checkModel, DOCUMENT_SUFFIX, MAX_DOCUMENT_LENGTH, type Analysis, type EngineHost } from '../engine/index.ts';
import { findDocuments } from '../documents.ts';
import { describeError, MAX_DIRECTORY_BYTES, MAX_DOCUMENT_BYTES, readText as readRegularText } from '../host/files.ts';
import { PieceCache } from '../engine/segment.ts';
import type { ServiceDocument, ServiceWorkspace } from '../service/types.ts';
import { DEFAULT_SETTINGS, type Settings } from '../settings.ts';

const DISK_TTL_MS = 2000;

export function isFenjieDocument(p: string): boolean {
  return p.endsWith(DOCUMENT_SUFFIX);
}

interface OpenState {
  uri: string;
  path: string;
  version: number;
  text: string;
  /** Reused across versions: an edit re-parses only the pieces it touched. */
  pieces: PieceCache;
  /** The analysis of `analysedVersion`; older than `version` while an edit waits to be checked. */
  analysis?: Analysis;
  analysedVersion?: number;
}

/**
 * What the server knows: the open documents as edited, the workspace's other `.fj.md`
 * documents as on disk, and the 单位名录 files (an open buffer wins over the disk).
 */
export class Store implements ServiceWorkspace {
  settings: Settings = DEFAULT_SETTINGS;
  /** Workspace folders (paths). Untrusted, nothing outside them is read or written. */
  roots: string[] = [];
  /** False in Restricted Mode (VS Code's untrusted workspace). */
  trusted = true;
  private readonly open = new Map<string, OpenState>();
  /**
   * The workspace's other documents. Their analysis is made when first asked for, and
   * dropped when their 单位名录 changes: typing in a 单位名录 then costs no re-check of
   * documents nobody looks at.
   */
  private readonly indexed = new Map<string, { uri: string; path: string; text: string; analysis?: Analysis }>();
  /** Open non-document buffers (单位名录 files being edited), by path. */
  private readonly buffers = new Map<string, string>();
  /**
   * Files read from disk (undefined: not there), so that a keystroke reads no file. A change
   * the client reports (it watches 单位名录.yaml and *.fj.md) drops an entry at once; any
   * other is seen within DISK_TTL_MS (a 单位名录 named in front matter may be called anything).
   */
  private readonly disk = new Map<string, { text: string | undefined; at: number }>();

  /** How the engine reaches files for the document at `file`: in Restricted Mode, only inside its workspace. */
  hostFor(file: string): EngineHost {
    return {
      readFile: (p) => this.readText(p, true, file),
      isBoundary: (dir) => {
        if (this.roots.some((r) => samePath(r, dir))) return true;
        if (this.trusted) return false;
        // Untrusted, the search for 单位名录.yaml does not go up out of the workspace either.
        const scope = this.scopeOf(file);
        return scope.some((r) => samePath(r, dir)) || !scope.some((r) => isInside(path.resolve(r), path.resolve(dir)));
      },
    };
  }

  uriOf(p: string): string {
    for (const s of this.open.values()) if (s.path === p) return s.uri;
    return URI.file(p).toString();
  }

  pathOf(uri: string): string {
    return URI.parse(uri).fsPath;
  }

  /**
   * The folders that make the workspace of the document at `from`: the workspace folders;
   * with none (a single file open), the document's own folder, or those of the open documents.
   */
  private scopeOf(from?: string): string[] {
    if (this.roots.length) return this.roots;
    if (from !== undefined) return [path.dirname(path.resolve(from))];
    return [...new Set([...this.open.values()].map((s) => path.dirname(path.resolve(s.path))))];
  }

  /**
   * Whether the file at `p` is inside the workspace (of the document at `from`), symlinks
   * resolved: the real path of the file, or of its nearest existing folder for a file not
   * there yet, lies in the real path of a workspace folder.
   */
  inWorkspace(p: string, from?: string): boolean {
    return this.resolveInWorkspace(p, from) !== undefined;
  }

  /** The real path of `p` when it is inside the workspace (of the document at `from`), else undefined. */
  private resolveInWorkspace(p: string, from?: string): string | undefined {
    const real = realPathOf(path.resolve(p));
    if (real === undefined) return undefined;
    const inside = this.scopeOf(from).some((r) => {
      const root = realPathOf(path.resolve(r));
      return root !== undefined && isInside(root, real);
    });
    return inside ? real : undefined;
  }

  /** Whether a path may be read: anywhere when trusted, else inside the workspace. */
  mayRead(p: string, from?: string): boolean {
    return this.trusted || this.inWorkspace(p, from);
  }

  /** Whether an edit may create or change the file at `p`: anywhere when trusted, else inside the workspace. */
  mayWrite(p: string, from?: string): boolean {
    return this.trusted || this.inWorkspace(p, from);
  }

  /**
   * A file's text: an open buffer, else the disk's (cached for DISK_TTL_MS); undefined if
   * there is none. In Restricted Mode a file outside the workspace (of the document at
   * `from`) is not read: undefined, or with `throwOnError` an error that says so.
   */
  readText(p: string, throwOnError = false, from?: string): string | undefined {
    // Untrusted, the file read is the real path that was checked, so a link cannot lead elsewhere in between.
    const readable = this.trusted ? p : this.resolveInWorkspace(p, from);
    if (readable === undefined) {
      if (throwOnError) throw new Error(restrictedReadMessage(p));
      return undefined;
    }
    const buffer = this.buffers.get(p);
    if (buffer !== undefined) return buffer;
    for (const s of this.open.values()) if (s.path === p) return s.text;
    const cached = this.disk.get(p);
    if (cached && Date.now() - cached.at < DISK_TTL_MS) return cached.text;
    try {
      // Devices, FIFOs and sockets are refused without waiting; at most the cap is read.
      // The BOM is dropped, as the editor drops it from the text of an open file.
      const text = readRegularText(readable, throwOnError ? MAX_DIRECTORY_BYTES : MAX_DOCUMENT_BYTES).text.replace(/^\uFEFF/, '');
      this.disk.set(p, { text, at: Date.now() });
      return text;
    } catch (e) {
      const problem = describeError(e, p);
      if (problem.kind === 'missing' || (problem.kind === 'directory' && !throwOnError)) {
        this.disk.set(p, { text: undefined, at: Date.now() });
        return undefined;
      }
      if (throwOnError) throw new Error(problem.reason);
      return undefined;
    }
  }

  // --- open documents -------------------------------------------------------------------

  openDocument(uri: string, version: number, text: string): void {
    this.open.set(uri, { uri, path: this.pathOf(uri), version, text, pieces: new PieceCache() });
  }

  changeDocument(uri: string, version: number, text: string): void {
    const s = this.open.get(uri);
    if (!s) return this.openDocument(uri, version, text);
    s.version = version;
    s.text = text;
  }

  closeDocument(uri: string): void {
    const s = this.open.get(uri);
    this.open.delete(uri);
    // Back to what the disk says, for references and completion.
    if (s && this.indexed.has(uri)) this.indexFile(s.path);
  }

  /** The file changed on disk: read it again when next needed. */
  forgetDisk(p: string): void {
    this.disk.delete(p);
  }

  setBuffer(p: string, text: string | undefined): void {
    if (text === undefined) this.buffers.delete(p);
    else this.buffers.set(p, text);
  }

  isOpen(uri: string): boolean {
    return this.open.has(uri);
  }

  openUris(): string[] {
    return [...this.open.keys()];
  }

  /** The open document's analysis for its current version, checking it now if need be. */
  fresh(uri: string): ServiceDocument | undefined {
    const s = this.open.get(uri);
    if (!s) return this.indexedDocument(uri);
    if (!s.analysis || s.analysedVersion !== s.version) {
      const model = s.text.length > MAX_DOCUMENT_LENGTH ? undefined : buildModel(s.text, s.pieces);
      s.analysis = model ? checkModel(model, { file: s.path, host: this.hostFor(s.path) }) : analyze(s.text);
      s.analysedVersion = s.version;
    }
    return { uri: s.uri, path: s.path, version: s.version, text: s.text, analysis: s.analysis };
  }

  /** Forgets the analyses that used a directory, so they are made again (the parses are kept). */
  invalidate(directoryPath?: string): string[] {
    const touched: string[] = [];
    for (const s of this.open.values()) {
      if (!directoryPath || s.analysis?.directory?.path === directoryPath || !s.analysis?.directory) {
        s.analysis = undefined;
        touched.push(s.uri);
      }
    }
    for (const d of this.indexed.values()) {
      if (!directoryPath || d.analysis?.directory?.path === directoryPath || !d.analysis?.directory) d.analysis = undefined;
    }
    return touched;
  }

  // --- the workspace's other documents ------------------------------------------------------

  indexFile(p: string, uri = URI.file(p).toString()): void {
    const text = this.readText(p);
    if (text === undefined || text.length > MAX_DOCUMENT_LENGTH) {
      this.indexed.delete(uri);
      return;
    }
    this.indexed.set(uri, { uri, path: p, text });
  }

  forgetFile(uri: string): void {
    this.indexed.delete(uri);
  }

  /** Drops the documents read from folders that are no longer in the workspace. */
  forgetOutsideRoots(): void {
    for (const [uri, d] of this.indexed) {
      if (!this.roots.some((r) => isInside(path.resolve(r), path.resolve(d.path)))) this.indexed.delete(uri);
    }
  }

  /** The `.fj.md` files under the workspace folders, at most `settings.maxFiles`. */
  listWorkspaceDocuments(): string[] {
    const out: string[] = [];
    for (const r of this.roots) out.push(...findDocuments(r, { max: this.settings.maxFiles - out.length }));
    return out;
  }

  // --- ServiceWorkspace -------------------------------------------------------------------

  *documents(): Iterable<ServiceDocument> {
    for (const uri of this.open.keys()) {
      const d = this.fresh(uri);
      if (d) yield d;
    }
    for (const uri of this.indexed.keys()) {
      if (this.open.has(uri)) continue;
      const d = this.indexedDocument(uri);
      if (d) yield d;
    }
  }

  private indexedDocument(uri: string): ServiceDocument | undefined {
    const d = this.indexed.get(uri);
    if (!d) return undefined;
    d.analysis ??= analyze(d.text, { file: d.path, host: this.hostFor(d.path) });
    return { uri: d.uri, path: d.path, version: null, text: d.text, analysis: d.analysis };
  }

  get(uri: string): ServiceDocument | undefined {
    return this.fresh(uri);
  }
}

function samePath(a: string, b: string): boolean {
  return path.resolve(a) === path.resolve(b);
}

/** Whether `p` is `root` or below it (both absolute). */
function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/**
 * The real path of `p` (absolute), symlinks resolved; for a path not there yet, that of its
 * nearest existing folder with the rest appended. Undefined when it cannot be told: a
 * dangling symlink (writing to it would create its target), a loop, no permission.
 */
function realPathOf(p: string): string | undefined {
  const rest: string[] = [];
  let at = p;
  for (;;) {
    try {
      return path.join(fs.realpathSync.native(at), ...rest);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') return undefined;
      try {
        // There but not resolvable: a dangling symlink.
        fs.lstatSync(at);
        return undefined;
      } catch {
        // Not there: try its folder.
      }
      const parent = path.dirname(at);
      if (parent === at) return undefined;
      rest.unshift(path.basename(at));
      at = parent;
    }
  }
}

/** Why a file is not read in Restricted Mode, for the user. */
export function restrictedReadMessage(p: string): string {
  return `受限模式下不读取工作区以外的文件（${p}）。信任此工作区后即可使用。`;
}

/** Why a file is not changed in Restricted Mode, for the user. */
export function restrictedWriteMessage(p: string): string {
  return `受限模式下不新建或修改工作区以外的文件（${p}）。信任此工作区后即可使用。`;
}
