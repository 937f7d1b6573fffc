import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MAX_DOCUMENT_LENGTH } from '../engine/index.ts';

/*
 * How fenjie reads and writes files: one implementation for the CLI and the language server.
 * A read opens without blocking (a FIFO has no writer), checks on the open descriptor that
 * the file is a regular one, and reads at most the cap (a device or a growing file is never
 * read to its end). A write-back (`--fix`) goes through the real path, keeps mode, owner and
 * group, keeps hard links, and refuses when the file changed since it was read.
 */

/** Why a read or write failed; `reason` is a predicate that follows the file's name ("不是普通文件（是管道）…"). */
export type FileProblemKind = 'missing' | 'directory' | 'not-regular' | 'permission' | 'too-large' | 'binary' | 'utf16' | 'encoding' | 'changed' | 'write' | 'other';

export class FileProblem extends Error {
  constructor(
    readonly kind: FileProblemKind,
    readonly file: string,
    /** Follows the file's name: `${file}：${reason}` or `单位名录“x”${reason}`. */
    readonly reason: string,
  ) {
    super(`${file}：${reason}`);
  }
}

/** What a read saw, to tell at write time whether the file changed since. */
export interface FileStamp {
  /** The real path (links resolved) the text came from. */
  real: string;
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  sha256: string;
}

export interface ReadResult {
  text: string;
  stamp: FileStamp;
}

const { O_RDONLY, O_WRONLY, O_CREAT, O_EXCL } = fs.constants;
// Absent on Windows, where neither is needed (no FIFOs on the file system; links are opened as such).
const O_NONBLOCK = fs.constants.O_NONBLOCK ?? 0;
const O_NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;

/** What a file that is not a regular one is, in the words a user knows. */
function kindOf(st: fs.Stats): string {
  if (st.isCharacterDevice()) return '字符设备';
  if (st.isBlockDevice()) return '块设备';
  if (st.isFIFO()) return '命名管道 FIFO';
  if (st.isSocket()) return '套接字';
  return '特殊文件';
}

function notRegular(file: string, st: fs.Stats): FileProblem {
  if (st.isDirectory()) return new FileProblem('directory', file, '这是文件夹，不是文件。');
  return new FileProblem('not-regular', file, `不是普通文件（是${kindOf(st)}），fenjie 只读取普通文件。请指定一个保存在磁盘上的文本文件。`);
}

function megabytes(n: number): string {
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** A failure of the system, as a FileProblem with a Chinese reason. */
export function describeError(e: unknown, file: string): FileProblem {
  if (e instanceof FileProblem) return e;
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new FileProblem('missing', file, '文件不存在。');
    case 'EACCES':
    case 'EPERM':
      return new FileProblem('permission', file, '没有读取权限。');
    case 'EISDIR':
      return new FileProblem('directory', file, '这是文件夹，不是文件。');
    case 'ELOOP':
      return new FileProblem('other', file, '链接指向自身（链接成环），无法读取。');
    default:
      return new FileProblem('other', file, `无法读取（${code ?? (e as Error).message}）。`);
  }
}

/** Reads at most `max + 1` bytes from an open descriptor: more than `max` means too large. */
function readBounded(fd: number, max: number): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const want = Math.min(64 * 1024, max + 1 - total);
    if (want <= 0) break;
    const chunk = Buffer.allocUnsafe(want);
    let n: number;
    try {
      n = fs.readSync(fd, chunk, 0, want, null);
    } catch (e) {
      // A FIFO opened without blocking has nothing to give: refused before this, but be safe.
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') break;
      throw e;
    }
    if (n === 0) break;
    chunks.push(chunk.subarray(0, n));
    total += n;
  }
  return Buffer.concat(chunks, total);
}

/**
 * The bytes of a regular file, at most `maxBytes`. Devices, FIFOs and sockets (also behind a
 * link) are refused before anything is read, and a FIFO's open does not wait for a writer.
 */
export function readBytes(file: string, maxBytes: number): { bytes: Buffer; stamp: Omit<FileStamp, 'sha256'> } {
  let st: fs.Stats;
  try {
    // Refused by its kind before it is opened: opening some devices has effects of its own.
    st = fs.statSync(file);
  } catch (e) {
    throw describeError(e, file);
  }
  if (!st.isFile()) throw notRegular(file, st);
  let fd: number;
  try {
    fd = fs.openSync(file, O_RDONLY | O_NONBLOCK);
  } catch (e) {
    throw describeError(e, file);
  }
  try {
    // The descriptor is what is read: the name may have been replaced since the stat.
    const fst = fs.fstatSync(fd);
    if (!fst.isFile()) throw notRegular(file, fst);
    if (fst.size > maxBytes) throw tooLarge(file, `${megabytes(fst.size)}`);
    const bytes = readBounded(fd, maxBytes);
    // It grew while being read.
    if (bytes.length > maxBytes) throw tooLarge(file, `超过 ${megabytes(maxBytes)}`);
    let real: string;
    try {
      real = fs.realpathSync.native(file);
    } catch {
      real = path.resolve(file);
    }
    return { bytes, stamp: { real, dev: fst.dev, ino: fst.ino, size: fst.size, mtimeMs: fst.mtimeMs, ctimeMs: fst.ctimeMs } };
  } catch (e) {
    throw describeError(e, file);
  } finally {
    fs.closeSync(fd);
  }
}

function tooLarge(file: string, size: string): FileProblem {
  return new FileProblem('too-large', file, `文件过大（${size}），超过 fenjie 可处理的上限。请将其拆分为多个文件。`);
}

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** UTF-16 text: a byte-order mark, or NUL bytes in every other place (Latin letters, digits, CJK punctuation). */
function looksUtf16(bytes: Uint8Array): boolean {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) return true;
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 4) return false;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) even++;
    if (bytes[i + 1] === 0) odd++;
  }
  const pairs = n / 2;
  // Most NULs on one side, next to none on the other: text in UTF-16, not a binary file.
  return (even > pairs * 0.3 && odd < pairs * 0.05) || (odd > pairs * 0.3 && even < pairs * 0.05);
}

/** Bytes that must be text: valid UTF-8 without NUL bytes. */
export function decodeText(bytes: Uint8Array, file: string): string {
  if (looksUtf16(bytes)) throw new FileProblem('utf16', file, '这是 UTF-16 编码的文本，请以 UTF-8 编码另存后再试。');
  if (bytes.includes(0)) throw new FileProblem('binary', file, '这是二进制文件，不是文本文档。');
  try {
    return decoder.decode(bytes);
  } catch {
    throw new FileProblem('encoding', file, '不是 UTF-8 编码的文本。请在编辑器中以 UTF-8 编码另存后再试。');
  }
}

function sha256(bytes: Uint8Array): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

/** A regular file's text (UTF-8), at most `maxBytes`, with what is needed to write it back safely. */
export function readText(file: string, maxBytes: number): ReadResult {
  const { bytes, stamp } = readBytes(file, maxBytes);
  return { text: decodeText(bytes, file), stamp: { ...stamp, sha256: sha256(bytes) } };
}

/** Whether the file at `stamp.real` is still the one read (same file, same bytes). */
function unchanged(stamp: FileStamp, st: fs.Stats, current: () => Buffer): boolean {
  if (st.dev !== stamp.dev || st.ino !== stamp.ino || st.size !== stamp.size || st.mtimeMs !== stamp.mtimeMs || st.ctimeMs !== stamp.ctimeMs) return false;
  try {
    return sha256(current()) === stamp.sha256;
  } catch {
    return false;
  }
}

function changedSinceRead(file: string): FileProblem {
  return new FileProblem('changed', file, '读取之后文件已被修改（可能正在编辑器中编辑），fenjie 没有写入，以免覆盖这些修改。请保存后重新运行。');
}

function writeFailure(e: unknown, file: string, tail: string): FileProblem {
  if (e instanceof FileProblem) return e;
  const code = (e as NodeJS.ErrnoException).code;
  const why =
    code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
      ? '没有写入权限或文件被占用'
      : code === 'EBUSY'
        ? '文件被其他程序占用（例如已在 Word 或 Excel 中打开）'
        : code === 'ENOSPC' || code === 'EDQUOT'
          ? '磁盘空间不足'
          : code === 'EEXIST'
            ? '临时文件名已被占用'
            : (code ?? '未知原因');
  return new FileProblem('write', file, `无法写入（${why}）。${tail}`);
}

/** A new file beside `real`, never following a link and never an existing file: a random name, O_EXCL|O_NOFOLLOW. */
function createTemp(real: string, mode: number): { tmp: string; fd: number } {
  const dir = path.dirname(real);
  for (let i = 0; ; i++) {
    const tmp = path.join(dir, `.${path.basename(real)}.${crypto.randomBytes(8).toString('hex')}.tmp`);
    try {
      return { tmp, fd: fs.openSync(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || i >= 4) throw e;
    }
  }
}

function writeAll(fd: number, data: Uint8Array): void {
  let off = 0;
  while (off < data.length) off += fs.writeSync(fd, data, off, data.length - off);
}

function removeQuietly(p: string): void {
  try {
    fs.rmSync(p, { force: true });
  } catch {
    // Nothing more can be done; the target itself was not touched.
  }
}

/** The copy kept beside a hard-linked file while it is written in place: `.名字.fenjie-备份`. */
export function backupPath(real: string): string {
  return path.join(path.dirname(real), `.${path.basename(real)}.fenjie-备份`);
}

export interface WriteBackResult {
  /** The file written (links resolved). */
  real: string;
  /** How it was written: replaced by a new file, or rewritten in place (it has other hard links, or its owner could not be kept). */
  how: 'replaced' | 'in-place';
}

/**
 * Writes a document back after a fix: through its real path (a link stays a link, its target
 * is written), keeping mode, owner and group. A file with other hard links is rewritten in
 * place, after a copy is kept beside it (removed once the write succeeded); any other is
 * replaced by a temporary file renamed over it. Refused, touching nothing, when the file
 * changed since `stamp` was taken. Throws a FileProblem that says what was not written.
 */
export function writeBack(file: string, text: string, stamp: FileStamp): WriteBackResult {
  const data = Buffer.from(text, 'utf8');
  const real = stamp.real;
  const current = (): Buffer => readBytes(real, Math.max(stamp.size, 1)).bytes;
  let st: fs.Stats;
  try {
    st = fs.statSync(real);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new FileProblem('changed', file, '读取之后文件已被删除或改名，fenjie 没有写入。');
    throw writeFailure(e, file, '原有文件未被改动。');
  }
  if (!unchanged(stamp, st, current)) throw changedSinceRead(file);
  const mode = st.mode & 0o7777;
  const owned = typeof process.getuid !== 'function' || (process.getuid() === st.uid && (process.getgid?.() === st.gid));
  if (st.nlink > 1) return writeInPlace(file, real, data, stamp, current);

  let tmp: string | undefined;
  try {
    const made = createTemp(real, mode & 0o777);
    tmp = made.tmp;
    const fd = made.fd;
    let keptOwner = true;
    try {
      writeAll(fd, data);
      // The mode as it was (the umask narrowed the one given to open).
      fs.fchmodSync(fd, mode);
      if (!owned) {
        try {
          fs.fchownSync(fd, st.uid, st.gid);
        } catch {
          keptOwner = false;
        }
      }
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    if (!keptOwner) {
      // Renaming would hand the file to us: write in place instead, which keeps owner and group.
      removeQuietly(tmp);
      tmp = undefined;
      return writeInPlace(file, real, data, stamp, current);
    }
    // Once more just before the rename: an editor may have saved while we wrote.
    let now: fs.Stats;
    try {
      now = fs.statSync(real);
    } catch {
      throw changedSinceRead(file);
    }
    if (!unchanged(stamp, now, current)) throw changedSinceRead(file);
    fs.renameSync(tmp, real);
    tmp = undefined;
    return { real, how: 'replaced' };
  } catch (e) {
    throw writeFailure(e, file, '原有文件未被改动。');
  } finally {
    if (tmp) removeQuietly(tmp);
  }
}

/** Rewrites the file itself (its inode, so every hard link and the owner stay), keeping a copy until done. */
function writeInPlace(file: string, real: string, data: Buffer, stamp: FileStamp, current: () => Buffer): WriteBackResult {
  const backup = backupPath(real);
  try {
    // Never over an older copy: it may be all that is left of a write that failed half-way.
    fs.copyFileSync(real, backup, fs.constants.COPYFILE_EXCL);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new FileProblem('write', file, `旁边已有备份 ${backup}（可能是上次改写中途失败留下的），fenjie 没有写入。请确认文件内容无误后删去这个备份，再重新运行。`);
    }
    throw writeFailure(e, file, `未能在旁边保存备份（${backup}），原有文件未被改动。`);
  }
  let fd: number;
  try {
    fd = fs.openSync(real, fs.constants.O_RDWR | O_NOFOLLOW);
  } catch (e) {
    removeQuietly(backup);
    throw writeFailure(e, file, '原有文件未被改动。');
  }
  let started = false;
  try {
    const fst = fs.fstatSync(fd);
    if (!unchanged(stamp, fst, current)) throw changedSinceRead(file);
    started = true;
    fs.ftruncateSync(fd, 0);
    let off = 0;
    while (off < data.length) off += fs.writeSync(fd, data, off, data.length - off, off);
    fs.fsyncSync(fd);
  } catch (e) {
    fs.closeSync(fd);
    if (!started) {
      removeQuietly(backup);
      throw e instanceof FileProblem ? e : writeFailure(e, file, '原有文件未被改动。');
    }
    throw writeFailure(e, file, `文件可能只写了一部分，原来的内容保存在 ${backup}，请用它恢复。`);
  }
  fs.closeSync(fd);
  removeQuietly(backup);
  return { real, how: 'in-place' };
}

/**
 * Writes a new file, or replaces one, atomically: a temporary file beside it (a random name,
 * never following a link), then a rename, so a failure leaves the old file whole. An existing
 * file's mode is kept.
 */
export function writeFileAtomic(target: string, data: string | Uint8Array): void {
  const dir = path.dirname(path.resolve(target));
  let mode = 0o666;
  try {
    mode = fs.statSync(target).mode & 0o777;
  } catch {
    // A new file: the default mode, narrowed by the umask.
  }
  let tmp: string | undefined;
  try {
    const made = createTemp(path.join(dir, path.basename(target)), mode);
    tmp = made.tmp;
    try {
      writeAll(made.fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
      fs.fsyncSync(made.fd);
    } finally {
      fs.closeSync(made.fd);
    }
    fs.renameSync(tmp, target);
    tmp = undefined;
  } catch (e) {
    throw writeFailure(e, target, '原有文件未被改动。');
  } finally {
    if (tmp) removeQuietly(tmp);
  }
}

/** Beyond this a document is not read (characters are at least one byte: larger files cannot be within the engine's limit). */
export const MAX_DOCUMENT_BYTES = MAX_DOCUMENT_LENGTH * 3;
/** Beyond this a 单位名录 is not read: a real one lists a few hundred units. */
export const MAX_DIRECTORY_BYTES = 4 * 1024 * 1024;

/**
 * A 单位名录 for the engine's host: undefined when there is no such file; otherwise its text,
 * or an Error whose message is the reason it cannot be read (the engine names the file).
 */
export function readDirectoryFile(file: string, maxBytes = MAX_DIRECTORY_BYTES): string | undefined {
  try {
    return readText(file, maxBytes).text;
  } catch (e) {
    const p = describeError(e, file);
    if (p.kind === 'missing') return undefined;
    throw new Error(p.reason);
  }
}
