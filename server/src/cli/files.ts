import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EngineHost } from '../engine/index.ts';
import { DOCUMENT_SUFFIX, MAX_DOCUMENT_LENGTH } from '../engine/index.ts';
import { findDocuments } from '../documents.ts';

/** A failure the user can act on, shown as one line without a stack trace. */
export class UserError extends Error {}

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Bytes that must be text: valid UTF-8 without NUL bytes. */
export function decodeText(bytes: Uint8Array, file: string): string {
  if (bytes.includes(0)) throw new UserError(`${file}：这是二进制文件，不是文本文档。`);
  try {
    return decoder.decode(bytes);
  } catch {
    throw new UserError(`${file}：不是 UTF-8 编码的文本。请在编辑器中以 UTF-8 编码另存后再试。`);
  }
}

function describe(e: unknown, file: string): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return `${file}：文件不存在。`;
    case 'EACCES':
    case 'EPERM':
      return `${file}：没有读取权限。`;
    case 'EISDIR':
      return `${file}：这是文件夹，不是文件。`;
    default:
      return `${file}：无法读取（${code ?? (e as Error).message}）。`;
  }
}

/** Reads a document for checking; every failure becomes a UserError with a Chinese message. */
export function readDocument(file: string): string {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch (e) {
    throw new UserError(describe(e, file));
  }
  // Characters are at least one byte each: larger files cannot be within the engine's limit.
  if (size > MAX_DOCUMENT_LENGTH * 3) {
    throw new UserError(`${file}：文件过大（${(size / 1024 / 1024).toFixed(1)} MB），超过 fenjie 可处理的上限。请将其拆分为多个文档。`);
  }
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw new UserError(describe(e, file));
  }
  return decodeText(bytes, file);
}

/** The host the engine reads 单位名录 files through. */
export const nodeHost: EngineHost = {
  readFile(file) {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw new Error(describe(e, file));
    }
    if (bytes.length > 4 * 1024 * 1024) throw new Error('单位名录文件过大（超过 4 MB）');
    return decodeText(bytes, file);
  },
  isBoundary(dir) {
    // The search stops at a project's top folder, as the editor's stops at the workspace.
    return fs.existsSync(path.join(dir, '.git')) || fs.existsSync(path.join(dir, '.vscode'));
  },
};

/** Expands folders into the `*.fj.md` files below them, sorted; files are kept as given. */
export function collectDocuments(inputs: string[]): { files: string[]; problems: string[] } {
  const files: string[] = [];
  const problems: string[] = [];
  for (const input of inputs) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(input);
    } catch (e) {
      problems.push(describe(e, input));
      continue;
    }
    if (!stat.isDirectory()) {
      files.push(input);
      continue;
    }
    const found = findDocuments(input, { onError: (e, dir) => problems.push(describe(e, dir)) });
    if (found.length === 0) problems.push(`${input}：文件夹中没有 ${DOCUMENT_SUFFIX} 文档。`);
    files.push(...found.sort());
  }
  return { files, problems };
}

/**
 * Writes a file atomically (a temporary file beside it, then a rename), so a failure
 * leaves the old file whole. Refuses to write over `protect` (the source document).
 */
export function writeFileAtomic(target: string, data: string | Uint8Array, protect?: string): void {
  // A document's name in any case (通知.FJ.MD is the same file on Windows and macOS) is never an output.
  if (protect && (samePath(target, protect) || /\.fj\.md$/i.test(target))) {
    throw new UserError(`${target}：输出文件与源文档是同一个文件（或是一个 .fj.md 文档），fenjie 不会覆盖文档。请用 -o 指定其他文件名。`);
  }
  const dir = path.dirname(path.resolve(target));
  if (!fs.existsSync(dir)) throw new UserError(`${target}：所在的文件夹不存在。`);
  try {
    const stat = fs.statSync(target);
    if (stat.isDirectory()) throw new UserError(`${target}：这是文件夹，请指定文件名。`);
    // Marked read-only by its owner: not replaced, even where the folder would allow it.
    if ((stat.mode & 0o222) === 0) throw new UserError(`${target}：文件是只读的，fenjie 不会改动它。请去掉只读属性${protect ? '，或用 -o 另选文件名' : ''}。`);
  } catch (e) {
    if (e instanceof UserError) throw e;
  }
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${Date.now()}.tmp`);
  try {
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, target);
  } catch (e) {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // Nothing more can be done; the target itself was not touched.
    }
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? '没有写入权限或文件被占用' : code === 'EBUSY' ? '文件被其他程序占用（例如已在 Word 或 Excel 中打开）' : code === 'ENOSPC' ? '磁盘空间不足' : (code ?? '未知原因');
    throw new UserError(`${target}：无法写入（${why}）。原有文件未被改动。`);
  }
}

/** Whether two paths name the same file, following links (a file that does not exist yet is compared by its resolved path). */
export function samePath(a: string, b: string): boolean {
  const real = (p: string): string => {
    try {
      return fs.realpathSync.native(p);
    } catch {
      try {
        return path.join(fs.realpathSync.native(path.dirname(path.resolve(p))), path.basename(p));
      } catch {
        return path.resolve(p);
      }
    }
  };
  return real(a) === real(b);
}
