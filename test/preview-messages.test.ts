/**
 * The client's pure parts: what the preview accepts from its webview (untrusted), the page it
 * builds, and the export's file names and refused targets.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MAX_LINE, buildPreviewPage, escapeHtml, messageHtml, parseWebviewMessage, previewCsp, styleText, type PageOptions } from '../client/src/previewMessages.ts';
import { defaultExportName, refusedTarget, tempFileName } from '../client/src/exportNames.ts';

test('parseWebviewMessage accepts exactly the three messages, as new objects', () => {
  assert.deepEqual(parseWebviewMessage({ type: 'reveal', line: 0 }), { type: 'reveal', line: 0 });
  assert.deepEqual(parseWebviewMessage({ type: 'reveal', line: 42 }), { type: 'reveal', line: 42 });
  assert.deepEqual(parseWebviewMessage({ type: 'reveal', line: MAX_LINE - 1 }), { type: 'reveal', line: MAX_LINE - 1 });
  assert.deepEqual(parseWebviewMessage({ line: 7, type: 'reveal' }), { type: 'reveal', line: 7 }, 'key order does not matter');
  assert.deepEqual(parseWebviewMessage({ type: 'toggleByUnit' }), { type: 'toggleByUnit' });
  assert.deepEqual(parseWebviewMessage({ type: 'togglePaper' }), { type: 'togglePaper' });
  // As the webview's postMessage delivers them (structured clone) and as JSON would.
  assert.deepEqual(parseWebviewMessage(structuredClone({ type: 'reveal', line: 3 })), { type: 'reveal', line: 3 });
  assert.deepEqual(parseWebviewMessage(JSON.parse('{"type":"togglePaper"}')), { type: 'togglePaper' });
  const nullProto = Object.assign(Object.create(null) as object, { type: 'reveal', line: 5 });
  assert.deepEqual(parseWebviewMessage(nullProto), { type: 'reveal', line: 5 });
  // -0 is an integer ≥ 0 and comes out as 0.
  assert.ok(Object.is((parseWebviewMessage({ type: 'reveal', line: -0 }) as { line: number }).line, 0));
  const input = { type: 'reveal', line: 1 };
  assert.notEqual(parseWebviewMessage(input), input);
});

test('parseWebviewMessage refuses everything else without throwing', () => {
  const getter = { type: 'reveal' } as Record<string, unknown>;
  Object.defineProperty(getter, 'line', { enumerable: true, get: () => 3 });
  const getterType = {} as Record<string, unknown>;
  let ranGetter = false;
  Object.defineProperty(getterType, 'type', {
    enumerable: true,
    get: () => {
      ranGetter = true;
      return 'togglePaper';
    },
  });
  const throwingProxy = new Proxy({ type: 'togglePaper' }, {
    ownKeys() {
      throw new Error('trap');
    },
    getPrototypeOf() {
      throw new Error('trap');
    },
  });
  class Message {
    type = 'togglePaper';
  }
  const hostile: [string, unknown][] = [
    ['undefined', undefined],
    ['null', null],
    ['a string', 'reveal'],
    ['a JSON string', '{"type":"reveal","line":3}'],
    ['a number', 3],
    ['a boolean', true],
    ['a function', () => ({ type: 'togglePaper' })],
    ['a symbol', Symbol('reveal')],
    ['a bigint', 3n],
    ['an empty object', {}],
    ['reveal without line', { type: 'reveal' }],
    ['line as a string', { type: 'reveal', line: '3' }],
    ['line as a float', { type: 'reveal', line: 3.5 }],
    ['negative line', { type: 'reveal', line: -1 }],
    ['huge line', { type: 'reveal', line: 1e12 }],
    ['line = MAX_LINE', { type: 'reveal', line: MAX_LINE }],
    ['line beyond safe integers', { type: 'reveal', line: 2 ** 60 }],
    ['NaN', { type: 'reveal', line: Number.NaN }],
    ['Infinity', { type: 'reveal', line: Number.POSITIVE_INFINITY }],
    ['-Infinity', { type: 'reveal', line: Number.NEGATIVE_INFINITY }],
    ['line as a boxed number', { type: 'reveal', line: new Number(3) }],
    ['line as a bigint', { type: 'reveal', line: 3n }],
    ['line as an array', { type: 'reveal', line: [3] }],
    ['line as an object with valueOf', { type: 'reveal', line: { valueOf: () => 3 } }],
    ['line null', { type: 'reveal', line: null }],
    ['reveal with an extra key', { type: 'reveal', line: 3, extra: 1 }],
    ['toggle with an extra key', { type: 'togglePaper', on: true }],
    ['toggle with a line', { type: 'toggleByUnit', line: 1 }],
    ['unknown type', { type: 'eval', code: 'alert(1)' }],
    ['type eval alone', { type: 'eval' }],
    ['type with other case', { type: 'Reveal', line: 1 }],
    ['type with spaces', { type: ' togglePaper' }],
    ['type as a boxed string', { type: new String('togglePaper') }],
    ['type as an array', { type: ['togglePaper'] }],
    ['type inherited (__proto__ literal)', { __proto__: { type: 'togglePaper' } }],
    ['type and line inherited', { __proto__: { type: 'reveal', line: 3 } }],
    ['Object.create of a message', Object.create({ type: 'togglePaper' }) as unknown],
    ['own __proto__ key from JSON', JSON.parse('{"type":"togglePaper","__proto__":{"type":"reveal"}}')],
    ['own __proto__ key with line', JSON.parse('{"type":"reveal","line":1,"__proto__":{"line":2}}')],
    ['constructor key', { type: 'togglePaper', constructor: 1 }],
    ['a symbol key', { type: 'togglePaper', [Symbol('x')]: 1 }],
    ['an array', ['reveal', 3]],
    ['an array with type', Object.assign(['x'], { type: 'togglePaper' })],
    ['a class instance', new Message()],
    ['a Map', new Map([['type', 'togglePaper']])],
    ['a Date', new Date()],
    ['a boxed string', new String('togglePaper')],
    ['a line getter', getter],
    ['a type getter', getterType],
    ['a proxy whose traps throw', throwingProxy],
  ];
  for (const [name, value] of hostile) assert.equal(parseWebviewMessage(value), undefined, name);
  assert.equal(ranGetter, false, 'getters are never run');
});

test('parseWebviewMessage refuses random JSON values', () => {
  // A seeded generator: the same corpus each run.
  let seed = 12345;
  const next = (): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const pick = <T>(items: T[]): T => items[Math.floor(next() * items.length)]!;
  const atoms: unknown[] = [null, true, false, 0, -1, 1.5, 1e300, '', 'reveal', 'togglePaper', 'toggleByUnit', 'line', [], {}];
  const value = (depth: number): unknown => {
    if (depth > 2 || next() < 0.4) return pick(atoms);
    if (next() < 0.3) return [value(depth + 1), value(depth + 1)];
    const o: Record<string, unknown> = {};
    for (let i = 0; i < 3; i++) o[pick(['type', 'line', 'x', '__proto__', 'constructor'])] = value(depth + 1);
    return o;
  };
  for (let i = 0; i < 2000; i++) {
    const v = JSON.parse(JSON.stringify(value(0)) ?? 'null') as unknown;
    const m = parseWebviewMessage(v);
    if (m === undefined) continue;
    // Whatever passes is exactly a valid message.
    if (m.type === 'reveal') assert.ok(Number.isInteger(m.line) && m.line >= 0 && m.line < MAX_LINE);
    assert.deepEqual(Object.keys(v as object).sort(), Object.keys(m).sort());
  }
});

const page = (o: Partial<PageOptions> = {}): string =>
  buildPreviewPage({
    cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
    nonce: 'abc123+/=',
    scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/client/media/preview.js',
    title: '预览 通知.fj.md',
    css: 'table { border-collapse: collapse; }',
    html: '<table><tr data-line="3"><td>任务</td></tr></table>',
    byUnit: false,
    paper: false,
    line: 3,
    labels: { toolbar: '预览选项', tables: '表格', tablesTooltip: '表', byUnit: '按单位', byUnitTooltip: '单位', paper: '纸面', paperTooltip: '纸' },
    ...o,
  });

test('the preview page: CSP with the nonce, one nonce’d style and script, no inline handlers', () => {
  const html = page();
  const csp = previewCsp('https://file+.vscode-resource.vscode-cdn.net', 'abc123+/=');
  assert.equal(
    csp,
    "default-src 'none'; style-src https://file+.vscode-resource.vscode-cdn.net 'nonce-abc123+/='; script-src 'nonce-abc123+/='; " +
      'img-src https://file+.vscode-resource.vscode-cdn.net data:; font-src https://file+.vscode-resource.vscode-cdn.net;',
  );
  assert.ok(html.includes(`<meta http-equiv="Content-Security-Policy" content="${csp}">`));
  assert.doesNotMatch(page({ cspSource: 'x" onload="y' }), /onload="y/, 'the CSP attribute cannot be broken out of');
  assert.equal(html.match(/<style\b/g)?.length, 1);
  assert.equal(html.match(/<style nonce="abc123\+\/=">/g)?.length, 1);
  assert.equal(html.match(/<script\b/g)?.length, 1);
  assert.ok(html.includes('<script nonce="abc123+/=" src="https://file+.vscode-resource.vscode-cdn.net/ext/client/media/preview.js"></script>'));
  assert.doesNotMatch(html, /\son[a-z]+\s*=/i, 'no inline event handlers');
  assert.ok(html.includes('table { border-collapse: collapse; }'));
  assert.ok(html.includes('<main id="fj-content"><table><tr data-line="3">'));
  assert.ok(html.includes('data-highlight="3"'));
  assert.match(html, /<html lang="zh-CN">/);
  assert.match(page({ paper: true }), /<html lang="zh-CN" class="paper">/);
  assert.match(page({ byUnit: true }), /id="fj-by-unit"[^>]*aria-pressed="true"/);
  assert.match(page({ byUnit: true }), /id="fj-tables"[^>]*aria-pressed="false"/);
  assert.doesNotMatch(page({ line: undefined }), /data-highlight/);
});

test('the preview page escapes what it puts in itself, and CSS cannot close its style element', () => {
  const html = page({ title: '</title><script>x</script>', labels: { toolbar: '"><img>', tables: '<b>', tablesTooltip: "'", byUnit: '&', byUnitTooltip: '"', paper: '<', paperTooltip: '>' } });
  assert.equal(html.match(/<script\b/g)?.length, 1);
  assert.doesNotMatch(html, /<img>|<b>/);
  assert.equal(escapeHtml(`<a href="x" title='y'>&</a>`), '&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;&#60;/a&#62;');
  assert.equal(styleText('a{} </style><script>alert(1)</script>'), 'a{} <\\/style><script>alert(1)</script>');
  assert.equal(styleText('a{} </STYLE >'), 'a{} <\\/STYLE >');
  const withCss = page({ css: '</style><script>alert(1)</script>' });
  assert.equal(withCss.match(/<\/style>/gi)?.length, 1, 'the style element ends only where the shell ends it');
  assert.equal(messageHtml('<无法预览>'), '<p class="fj-message">&#60;无法预览&#62;</p>');
});

test('the export’s default file name: the document’s name with the new extension', () => {
  assert.equal(defaultExportName('通知.fj.md', 'docx', false), '通知.docx');
  assert.equal(defaultExportName('通知.fj.md', 'xlsx', false), '通知.xlsx');
  assert.equal(defaultExportName('通知.fj.md', 'html', false), '通知.html');
  assert.equal(defaultExportName('通知.fj.md', 'docx', true), '通知-按单位.docx');
  assert.equal(defaultExportName('2025年 政务公开.FJ.MD', 'xlsx', true), '2025年 政务公开-按单位.xlsx');
  assert.equal(defaultExportName('要点.v2.fj.md', 'html', false), '要点.v2.html');
  assert.equal(defaultExportName('草稿.md', 'docx', false), '草稿.docx');
  assert.equal(defaultExportName('Untitled-1', 'docx', false), 'Untitled-1.docx');
  assert.equal(defaultExportName('.fj.md', 'docx', false), '任务分解表.docx');
  assert.equal(defaultExportName('a:b?.fj.md', 'docx', false), 'a_b_.docx', 'characters Windows refuses');
  assert.equal(defaultExportName('通知. .fj.md', 'docx', false), '通知.docx', 'no trailing dots or spaces');
});

test('the temporary file: hidden, beside the target, named after it', () => {
  assert.equal(tempFileName('通知.docx', '1a2b3c'), '.通知.docx.1a2b3c.tmp');
  assert.notEqual(tempFileName('通知.docx', '1a2b3c'), '通知.docx');
});

test('refusedTarget: never the document, an open fenjie document or any *.fj.md file', () => {
  const none = (): undefined => undefined;
  const posix = { platform: 'linux' as const, realpath: none };
  assert.equal(refusedTarget('/w/通知.docx', ['/w/通知.fj.md'], posix), undefined);
  assert.equal(refusedTarget('/w/通知.fj.md', ['/w/通知.fj.md'], posix), 'source');
  assert.equal(refusedTarget('/w/sub/../通知.fj.md', [], posix), 'source', 'any *.fj.md file, open or not');
  assert.equal(refusedTarget('/w/a/../其他.md', ['/w/通知.fj.md', '/w/其他.md'], posix), 'source', 'normalised');
  assert.equal(refusedTarget('/w/Other.md', ['/w/other.md'], posix), undefined, 'case matters on Linux');
  assert.equal(refusedTarget('/w/Other.md', ['/w/other.md'], { platform: 'darwin', realpath: none }), 'source');
  assert.equal(refusedTarget('C:\\W\\通知.FJ.MD', [], { platform: 'win32', realpath: none }), 'source');
  assert.equal(refusedTarget('c:\\w\\x\\..\\OTHER.md', ['C:\\W\\other.md'], { platform: 'win32', realpath: none }), 'source');
  assert.equal(refusedTarget('C:\\W\\通知.docx', ['C:\\W\\通知.fj.md'], { platform: 'win32', realpath: none }), undefined);
  // Real paths are compared only when both exist.
  const links: Record<string, string> = { '/w/link.md': '/w/real/source.md', '/w/real/source.md': '/w/real/source.md' };
  const real = (p: string): string | undefined => links[p];
  assert.equal(refusedTarget('/w/link.md', ['/w/real/source.md'], { platform: 'linux', realpath: real }), 'source');
  assert.equal(refusedTarget('/w/new.docx', ['/w/real/source.md'], { platform: 'linux', realpath: real }), undefined);
});

test('refusedTarget with the real file system: a symbolic link to the source is the source', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fenjie-export-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const source = path.join(dir, 'source.md');
  fs.writeFileSync(source, '# 通知\n');
  const link = path.join(dir, 'link.html');
  try {
    fs.symlinkSync(source, link);
  } catch {
    t.skip('symbolic links are not available here');
    return;
  }
  const realpath = (p: string): string | undefined => {
    try {
      return fs.realpathSync.native(p);
    } catch {
      return undefined;
    }
  };
  assert.equal(refusedTarget(link, [source], { platform: process.platform, realpath }), 'source');
  assert.equal(refusedTarget(path.join(dir, 'new.html'), [source], { platform: process.platform, realpath }), undefined);
});
