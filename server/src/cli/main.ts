import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { analyze, checkModel, CODES, documentView, fixAll, levelsZh, SEVERITY_ZH, RULE_DOCS, ruleAnchor, toJson, unitSections, type Diagnostic } from '../engine/index.ts';
import { collectDocuments, nodeHost, readDocument, readDocumentStamped, UserError, writeDocument, writeFileAtomic } from './files.ts';
import { EXPORT_FORMATS, SERVER_NODE_FLAGS } from '../protocol.ts';
import { spawn } from 'node:child_process';

/** Where the CLI writes; tests hand in their own. */
export interface Output {
  out(s: string): void;
  err(s: string): void;
}

/**
 * A reader that stops early (`fenjie export … --to json | head`) closes the pipe: the rest
 * of the output is dropped quietly, with no stack trace.
 */
let closed = { out: false, err: false };
function quietOnClose(stream: NodeJS.WriteStream, which: 'out' | 'err'): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') {
      closed = { ...closed, [which]: true };
      return;
    }
    throw e;
  });
}
let guarded = false;
const stdio: Output = {
  out: (s) => void (closed.out || process.stdout.write(s)),
  err: (s) => void (closed.err || process.stderr.write(s)),
};

/**
 * Control characters (C0, DEL, C1) and the marks that reorder text on screen, as `\x1b` or
 * `\u202e`: a document's text quoted in a message cannot move the cursor, recolour the
 * terminal or hide what follows. Chinese and every other printable character is kept.
 */
export function escapeControls(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    const n = c.charCodeAt(0);
    return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
  });
}

const VERSION = '0.1.0';

const HELP = `fenjie ${VERSION} —— 任务分解表（.fj.md）的检查与导出

用法：
  fenjie check 路径… [--format text|json] [--fix [--dry-run]]
      检查文档；路径可以是文件或文件夹（检查其中所有 .fj.md 文档）。
      --format  输出格式：text（默认，每行“文件:行:列: 级别 代码 说明”）或 json
      --fix     自动修正可以安全修正的问题（半角标点、编号等），写回原文件，并逐条列出每处修改
                （文件:行: 修改前 → 修改后）；会改变文档结构（如丢失任务）的修正不做，并说明原因
      --dry-run 与 --fix 一起使用：只列出将要做的修改，不写入文件
  fenjie export 文件 --to html|docx|xlsx|json [-o 输出文件] [--by-unit]
      导出正式表格：html（网页，可打印）、docx（Word，按 GB/T 9704-2012 排版）、xlsx（Excel）；
      json 为文档内容的数据。不加 -o 时，html、docx、xlsx 保存在文档旁边（通知.fj.md → 通知.docx），
      json 输出到屏幕。源文档不会被覆盖。
      --by-unit  按单位导出：每个单位一节（Excel 为一个工作表），列出它牵头和参与的任务
  fenjie rules [--format text|json]
      列出检查给出的全部代码：级别、何时出现、能否自动修正、能否关闭，以及说明所在的章节。
  fenjie lsp --stdio
      以语言服务器方式运行（供 Neovim、Emacs 等编辑器的 LSP 客户端使用）。
  fenjie --help | --version

退出码：0 没有错误；1 有错误；2 用法或文件读写问题。
`;


export async function main(argv: string[], io: Output = stdio): Promise<number> {
  if (io === stdio && !guarded) {
    guarded = true;
    quietOnClose(process.stdout, 'out');
    quietOnClose(process.stderr, 'err');
  }
  try {
    const [command, ...rest] = argv;
    switch (command) {
      case 'check':
        return check(rest, io);
      case 'export':
        return await exportCommand(rest, io);
      case 'rules':
        return rules(rest, io);
      case 'lsp':
        return lsp(rest);
      case '--version':
      case '-v':
        io.out(`${VERSION}\n`);
        return 0;
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        io.out(HELP);
        return command === undefined ? 2 : 0;
      default:
        io.err(`fenjie：未知的命令“${command}”。可用的命令：check、export、rules、lsp。运行 fenjie --help 查看用法。\n`);
        return 2;
    }
  } catch (e) {
    if (e instanceof UserError) {
      io.err(`fenjie：${escapeControls(e.message)}\n`);
      return 2;
    }
    // Anything else is a fault of fenjie itself: say so in one line, without a stack trace.
    io.err(`fenjie：内部错误（${e instanceof Error ? e.message : String(e)}）。请将此信息和文档一并报告给维护者。\n`);
    return 2;
  }
}

function parse(args: string[], options: NonNullable<ParseArgsConfig['options']>): { values: Record<string, unknown>; positionals: string[] } {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    const msg = (e as Error).message;
    const m = /'(-{1,2}[^']*)'/.exec(msg);
    throw new UserError(m ? `无法识别的参数“${m[1]}”。运行 fenjie --help 查看用法。` : `参数有误。运行 fenjie --help 查看用法。`);
  }
}

function display(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

interface Finding extends Diagnostic {
  file: string;
}

function check(args: string[], io: Output): number {
  const { values, positionals } = parse(args, { format: { type: 'string', default: 'text' }, fix: { type: 'boolean', default: false }, 'dry-run': { type: 'boolean', default: false } });
  const format = values['format'];
  const dryRun = values['dry-run'] === true;
  if (dryRun && !values['fix']) throw new UserError('--dry-run 只能与 --fix 一起使用，例如：fenjie check --fix --dry-run 文档.fj.md');
  if (format !== 'text' && format !== 'json') throw new UserError(`--format 只能是 text 或 json，而不是“${String(format)}”。`);
  if (positionals.length === 0) throw new UserError('请指定要检查的文件或文件夹，例如：fenjie check examples/');
  const { files, problems } = collectDocuments(positionals);
  let ioTrouble = problems.length > 0;
  for (const p of problems) io.err(`fenjie：${escapeControls(p)}\n`);
  const findings: Finding[] = [];
  const seenDirectories = new Set<string>();
  let fixed = 0;
  let unwritten = 0;
  let refused = 0;
  let checked = 0;
  for (const file of files) {
    let read: ReturnType<typeof readDocumentStamped>;
    try {
      read = readDocumentStamped(file);
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      io.err(`fenjie：${escapeControls(e.message)}\n`);
      ioTrouble = true;
      continue;
    }
    const text = read.text;
    checked++;
    let result = analyze(text, { file, host: nodeHost });
    // A 单位名录 the front matter names, that exists but cannot be read: a file problem (exit 2).
    if (result.directoryUnreadable?.named) ioTrouble = true;
    if (values['fix']) {
      // Each round's fixes are checked by parsing their result: none may lose a task (fix.ts).
      const done = fixAll(text, (t, model) => (model ? checkModel(model, { file, host: nodeHost }) : analyze(t, { file, host: nodeHost })), { analysis: result });
      let written = done.text === text || dryRun;
      if (!written) {
        try {
          writeDocument(file, done.text, read);
          written = true;
        } catch (e) {
          if (!(e instanceof UserError)) throw e;
          // Not written: its fixes are not counted as made, and the findings are those of the file as it is.
          io.err(`fenjie：${escapeControls(e.message)}本文档的 ${done.applied.length} 处修正没有保存。\n`);
          ioTrouble = true;
        }
      }
      if (format === 'text') {
        const verb = dryRun ? '将修正' : written ? '已修正' : '未写入';
        for (const c of done.applied) io.err(escapeControls(`${display(file)}:${c.line}: ${verb} ${c.code}：${c.before} → ${c.after}`) + '\n');
        for (const c of done.refused) io.err(escapeControls(`${display(file)}:${c.line}: 未修正 ${c.code}：“${c.title}”会改变文档结构（${c.reason}），请手工修改。`) + '\n');
      }
      if (written) {
        fixed += done.applied.length;
        result = done.analysis;
      } else unwritten += done.applied.length;
      refused += done.refused.length;
    }
    for (const d of result.diagnostics) findings.push({ ...d, file });
    const dir = result.directoryFindings;
    if (dir && !seenDirectories.has(dir.file)) {
      seenDirectories.add(dir.file);
      for (const d of dir.diagnostics) findings.push({ ...d, file: dir.file });
    }
  }
  if (format === 'json') {
    const rows = findings.map((d) => ({
      file: display(d.file),
      line: d.range.start.line + 1,
      column: d.range.start.character + 1,
      endLine: d.range.end.line + 1,
      endColumn: d.range.end.character + 1,
      severity: d.severity,
      code: d.code,
      message: d.message,
    }));
    io.out(JSON.stringify(rows, null, 2) + '\n');
  } else {
    for (const d of findings) {
      io.out(`${escapeControls(display(d.file))}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${SEVERITY_ZH[d.severity]} ${d.code} ${escapeControls(d.message)}\n`);
    }
  }
  const errors = findings.filter((d) => d.severity === 'error').length;
  const warnings = findings.filter((d) => d.severity === 'warning').length;
  if (format === 'text') {
    let fixes = '';
    if (values['fix']) {
      fixes = dryRun ? `，可自动修正 ${fixed} 处（--dry-run：未写入文件）` : `，已自动修正 ${fixed} 处`;
      if (unwritten) fixes += `（另有 ${unwritten} 处修正因写入失败没有保存）`;
      if (refused) fixes += `，${refused} 处因会改变文档结构未自动修正`;
    }
    io.err(`共检查 ${checked} 个文档：错误 ${errors} 个，警告 ${warnings} 个${fixes}。\n`);
  }
  if (ioTrouble) return 2;
  return errors > 0 ? 1 : 0;
}

const FIX_ZH = { safe: '可自动修正', offered: '编辑器中可选用修正', none: '不能自动修正' } as const;

/** `fenjie rules`: every code a user can see, from the registry, with its link to the reference. */
function rules(args: string[], io: Output): number {
  const { values, positionals } = parse(args, { format: { type: 'string', default: 'text' } });
  const format = values['format'];
  if (format !== 'text' && format !== 'json') throw new UserError(`--format 只能是 text 或 json，而不是“${String(format)}”。`);
  if (positionals.length) throw new UserError(`fenjie rules 不接受路径或其他参数（“${positionals[0]}”）。`);
  if (format === 'json') {
    const rows = CODES.map((c) => ({
      code: c.code,
      severity: c.severity,
      ...(c.alsoSeverity ? { alsoSeverity: c.alsoSeverity } : {}),
      description: c.description,
      fix: c.fix,
      ...(c.fixNote ? { fixNote: c.fixNote } : {}),
      canDisable: c.canDisable !== false,
      rule: 'examples' in c,
      docs: `${RULE_DOCS}#${ruleAnchor(c.code)}`,
    }));
    io.out(JSON.stringify(rows, null, 2) + '\n');
    return 0;
  }
  for (const c of CODES) {
    const level = levelsZh(c);
    const fix = FIX_ZH[c.fix] + (c.fixNote ? `（${c.fixNote}）` : '');
    io.out(`${c.code}  ${level}  ${fix}${c.canDisable === false ? '  不能关闭' : ''}\n    ${c.description}。\n    说明：${RULE_DOCS}#${ruleAnchor(c.code)}\n`);
  }
  io.err(`共 ${CODES.length} 项。\n`);
  return 0;
}

/**
 * Runs the language server (out/server.cjs, beside this bundle) in a child process with the
 * server's own node options, talking over this process's stdio, until its client says exit.
 */
function lsp(args: string[]): Promise<number> {
  // The server runs in a child process that inherits this one's stdio; a node IPC channel is
  // not handed on (the VS Code extension starts out/server.cjs itself).
  if (args.includes('--node-ipc')) throw new UserError('fenjie lsp 不支持 --node-ipc，请改用 --stdio、--socket=端口 或 --pipe=名称。');
  if (!args.some((a) => a === '--stdio' || a.startsWith('--socket') || a.startsWith('--pipe'))) {
    throw new UserError('请指定连接方式，例如：fenjie lsp --stdio');
  }
  const server = path.join(__dirname, 'server.cjs');
  if (!fs.existsSync(server)) throw new UserError(`找不到语言服务器（${server}）。请在项目文件夹中运行 npm run build。`);
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, server, ...args], { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => child.kill(signal));
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    child.on('error', (e) => {
      process.stderr.write(`fenjie：无法启动语言服务器：${e.message}\n`);
      resolve(2);
    });
  });
}

const CLI_FORMATS = ['json', ...EXPORT_FORMATS] as const;
type CliExportFormat = (typeof CLI_FORMATS)[number];

async function exportCommand(args: string[], io: Output): Promise<number> {
  const { values, positionals } = parse(args, { to: { type: 'string' }, output: { type: 'string', short: 'o' }, 'by-unit': { type: 'boolean' } });
  if (positionals.length !== 1) throw new UserError('请指定一个要导出的文档，例如：fenjie export 通知.fj.md --to docx');
  const to = values['to'];
  if (to === undefined) throw new UserError(`请用 --to 指定导出格式：${CLI_FORMATS.join('、')}。`);
  if (!CLI_FORMATS.includes(to as CliExportFormat)) throw new UserError(`不支持的导出格式“${String(to)}”。可用的格式：${CLI_FORMATS.join('、')}。`);
  const format = to as CliExportFormat;
  const byUnit = values['by-unit'] === true;
  if (byUnit && format === 'json') throw new UserError('--by-unit（按单位导出）只用于 html、docx 和 xlsx 格式。');
  const file = positionals[0] as string;
  const text = readDocument(file);
  const result = analyze(text, { file, host: nodeHost });
  const fatal = result.diagnostics.find((d) => d.code === 'document');
  if (fatal) throw new UserError(`${file}：${fatal.message}`);
  const out = values['output'];
  if (format === 'json') {
    const json = JSON.stringify(toJson(result.model), null, 2) + '\n';
    if (typeof out !== 'string') {
      io.out(json);
      return 0;
    }
    writeFileAtomic(out, json, file);
    io.err(`已导出到 ${escapeControls(display(out))}。\n`);
    return 0;
  }
  const target = typeof out === 'string' ? out : defaultExportPath(file, format, byUnit);
  // Beside the document there may be the Word file it was written from: replaced only when asked by name.
  if (typeof out !== 'string' && fs.existsSync(target)) {
    throw new UserError(`${display(target)} 已存在，fenjie 不会自动替换它。如要替换，请写 -o ${display(target)}；或用 -o 另选文件名。`);
  }
  // Loaded only now: the exporters are a bundle of their own (esbuild.mjs).
  const { exportView } = await import('../export.ts');
  const data = await exportView(documentView(result.model), format, byUnit ? unitSections(result.model) : undefined);
  writeFileAtomic(target, data, file);
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  if (errors > 0) io.err(`注意：文档中有 ${errors} 个错误，表格中缺少的内容已标为“待填”。运行 fenjie check ${display(file)} 查看详情。\n`);
  io.err(`已导出到 ${escapeControls(display(target))}。\n`);
  return 0;
}

/** Beside the document, named after it: 通知.fj.md → 通知.docx (by unit: 通知-按单位.docx). */
function defaultExportPath(file: string, format: Exclude<CliExportFormat, 'json'>, byUnit: boolean): string {
  const base = path.basename(file).replace(/\.fj\.md$/i, '').replace(/\.md$/i, '');
  return path.join(path.dirname(file), `${base}${byUnit ? '-按单位' : ''}.${format}`);
}
