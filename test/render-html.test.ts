import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, parseFragment, type DefaultTreeAdapterTypes } from 'parse5';
import { type DocumentView, type Table, type UnitSection } from '../server/src/engine/index.ts';
import { renderHtmlDocument, renderPreview } from '../server/src/engine/render/html.ts';
import { hostWithin, ROOT, SAMPLE_NOTICE, viewOf } from './helpers.ts';

type Node = DefaultTreeAdapterTypes.Node;
type Element = DefaultTreeAdapterTypes.Element;

// ---- documents ----

const build = viewOf;

/** Categories two levels deep, and a shallow task under a level-1 category only. */
const CATEGORIES = [
  '# 表',
  '## 一、甲类',
  '### （一）甲一',
  '1. 任务一\n   举措一。\n\n   举措二。\n   - 牵头单位：市财政局\n   - 完成时限：12月底前',
  '2. 任务二\n   - 牵头单位：市教育局\n   - 完成时限：12月底前',
  '### （二）甲二',
  '1. 任务三\n   - 牵头单位：市教育局\n   - 完成时限：6月底前',
  '## 二、乙类',
  '- 任务四\n  - 牵头单位：市财政局\n  - 完成时限：长期坚持',
  '',
].join('\n\n');

/** A task without its required 牵头单位 and 完成时限. */
const MISSING = '# 表\n\n## 一、类\n\n1. 任务一\n   - 责任单位：各区县政府\n';

const NOTICE = SAMPLE_NOTICE;

const BY_UNIT = '# 表\n\n1. 任务一\n   - 牵头单位：财政局\n   - 责任单位：市教育局、各区县政府\n   - 完成时限：12月底前\n2. 任务二\n   - 责任单位：市教育局牵头，市财政局\n   - 完成时限：12月底前\n';

const EXAMPLES = path.join(ROOT, 'examples');
const EXAMPLE_FILES = ['changchun-2020/通知.fj.md', 'changji-2020/工作要点.fj.md', 'shengtaicheng-2020/工作要点.fj.md'];

function example(rel: string): { view: DocumentView; units: UnitSection[] } {
  const file = path.join(EXAMPLES, rel);
  return build(fs.readFileSync(file, 'utf8'), file, hostWithin(EXAMPLES));
}

const DOCUMENTS: [string, () => { view: DocumentView; units: UnitSection[] }][] = [
  ['categories', () => build(CATEGORIES)],
  ['missing', () => build(MISSING)],
  ['notice', () => build(NOTICE)],
  ['by-unit', () => build(BY_UNIT)],
  ...EXAMPLE_FILES.map((rel): [string, () => { view: DocumentView; units: UnitSection[] }] => [rel, () => example(rel)]),
];

// ---- the DOM ----

function isElement(node: Node): node is Element {
  return 'tagName' in node;
}

function children(node: Node): Node[] {
  const out = 'childNodes' in node ? [...node.childNodes] : [];
  if (isElement(node) && node.tagName === 'template') out.push(...(node as DefaultTreeAdapterTypes.Template).content.childNodes);
  return out;
}

/** Every node under `root` (itself included), in document order. */
function allNodes(root: Node): Node[] {
  const out: Node[] = [];
  const visit = (n: Node): void => {
    out.push(n);
    for (const c of children(n)) visit(c);
  };
  visit(root);
  return out;
}

function elements(root: Node, tag?: string): Element[] {
  return allNodes(root).filter((n): n is Element => isElement(n) && (tag === undefined || n.tagName === tag));
}

function attr(el: Element, name: string): string | undefined {
  return el.attrs.find((a) => a.name === name)?.value;
}

function classes(el: Element): string[] {
  return (attr(el, 'class') ?? '').split(/\s+/).filter(Boolean);
}

function byClass(root: Node, cls: string): Element[] {
  return elements(root).filter((e) => classes(e).includes(cls));
}

/** Visible text: <br> as '\n', the “待填” mark of a missing cell left out. */
function textOf(node: Node): string {
  if (node.nodeName === '#text') return (node as DefaultTreeAdapterTypes.TextNode).value;
  if (!isElement(node)) return children(node).map(textOf).join('');
  if (node.tagName === 'br') return '\n';
  if (classes(node).includes('missing-mark')) return '';
  return children(node).map(textOf).join('');
}

/** All text of the document, marks included: what a reader sees. */
function visibleText(root: Node): string {
  return allNodes(root)
    .filter((n): n is DefaultTreeAdapterTypes.TextNode => n.nodeName === '#text')
    .map((n) => n.value)
    .join('\n');
}

interface GridCell {
  row: number;
  column: number;
  rowspan: number;
  colspan: number;
  text: string;
  missing: boolean;
}

/** A <table>'s header labels, rows (with data-line) and cells placed on the grid as a browser places them. */
function readTable(table: Element): { headers: string[]; lines: (string | undefined)[]; cells: GridCell[]; tds: Element[] } {
  const thead = elements(table, 'thead');
  assert.equal(thead.length, 1, 'one <thead>');
  const headRows = elements(thead[0] as Element, 'tr');
  assert.equal(headRows.length, 1, 'one header row');
  const headers = elements(headRows[0] as Element, 'th').map(textOf);
  const tbody = elements(table, 'tbody');
  assert.equal(tbody.length, 1, 'one <tbody>');
  const rows = elements(tbody[0] as Element, 'tr');
  const taken: boolean[][] = [];
  const cells: GridCell[] = [];
  const tds: Element[] = [];
  rows.forEach((tr, r) => {
    let column = 0;
    for (const td of children(tr).filter((n): n is Element => isElement(n))) {
      assert.equal(td.tagName, 'td', 'a body row holds <td> only');
      while (taken[r]?.[column]) column++;
      for (const name of ['rowspan', 'colspan']) {
        const v = attr(td, name);
        if (v !== undefined) assert.ok(Number(v) > 1, `${name}="${v}" written although it is not above 1`);
      }
      const rowspan = Number(attr(td, 'rowspan') ?? 1);
      const colspan = Number(attr(td, 'colspan') ?? 1);
      for (let i = 0; i < rowspan; i++) for (let j = 0; j < colspan; j++) ((taken[r + i] ??= [])[column + j] = true);
      const missing = classes(td).includes('missing');
      if (missing) assert.deepEqual(byClass(td, 'missing-mark').map((m) => textOf(m.childNodes[0] as Node)), ['待填'], 'a missing cell shows 待填');
      cells.push({ row: r, column, rowspan, colspan, text: textOf(td), missing });
      tds.push(td);
      column += colspan;
    }
  });
  return { headers, lines: rows.map((tr) => attr(tr, 'data-line')), cells, tds };
}

/** The model's cells, as readTable gives the DOM's. */
function modelCells(t: Table): GridCell[] {
  return t.rows.flatMap((row, r) => row.cells.map((c) => ({ row: r, column: c.column, rowspan: c.rowspan, colspan: c.colspan, text: c.text, missing: !!c.missing })));
}

/** Each grid position's text (merged cells repeated). */
function textGrid(cells: GridCell[], rows: number, columns: number): string[][] {
  const out = Array.from({ length: rows }, () => Array<string>(columns).fill('∅'));
  for (const c of cells) for (let i = 0; i < c.rowspan; i++) for (let j = 0; j < c.colspan; j++) (out[c.row + i] as string[])[c.column + j] = c.text;
  return out;
}

function checkTables(root: Node, view: DocumentView, preview: boolean): void {
  const tables = elements(root, 'table');
  assert.equal(tables.length, view.tables.length, 'one <table> per table');
  view.tables.forEach((t, k) => {
    const dom = readTable(tables[k] as Element);
    assert.deepEqual(dom.headers, t.columns.map((c) => c.label), `table ${k + 1}: header labels`);
    if (t.rows.length === 0) return;
    assert.deepEqual(dom.cells, modelCells(t), `table ${k + 1}: cells, their spans and texts`);
    assert.deepEqual(textGrid(dom.cells, t.rows.length, t.columns.length), textGrid(modelCells(t), t.rows.length, t.columns.length), `table ${k + 1}: the grid`);
    assert.deepEqual(dom.lines, t.rows.map((r) => (preview ? String(r.line - 1) : undefined)), `table ${k + 1}: data-line`);
  });
}

function renderAll(view: DocumentView, units?: UnitSection[]): { exported: DefaultTreeAdapterTypes.Document; preview: DefaultTreeAdapterTypes.DocumentFragment; html: string; previewHtml: string; css: string } {
  const options = units ? { byUnit: units } : {};
  const html = renderHtmlDocument(view, options);
  const { html: previewHtml, css } = renderPreview(view, options);
  return { exported: parse(html), preview: parseFragment(previewHtml), html, previewHtml, css };
}

// ---- 1. structure ----

for (const [name, load] of DOCUMENTS) {
  test(`structure: ${name}: every table's cells, spans, headers, data-line and missing marks match the model`, () => {
    const { view } = load();
    assert.ok(view.tables.length > 0);
    const { exported, preview } = renderAll(view);
    checkTables(preview, view, true);
    checkTables(exported, view, false);
    for (const root of [exported, preview]) {
      const sections = byClass(root, 'attachment');
      assert.equal(sections.length, view.tables.length, 'one .attachment per table');
      view.tables.forEach((t, k) => {
        const s = sections[k] as Element;
        assert.deepEqual(byClass(s, 'att-label').map(textOf), t.label ? [t.label] : []);
        assert.deepEqual(byClass(s, 'att-title').map(textOf), [t.title]);
      });
    }
  });
}

test('structure: the missing required cells are classed and marked 待填', () => {
  const { view } = build(MISSING);
  const { preview } = renderAll(view);
  const tds = byClass(preview, 'missing');
  assert.equal(tds.length, 2);
  for (const td of tds) assert.equal(visibleText(td), '待填');
});

test('structure: a notice has its parts in order, and its body blocks classed by their labels', () => {
  const { view } = build(NOTICE);
  for (const root of [renderAll(view).exported, renderAll(view).preview]) {
    const notice = byClass(root, 'notice');
    assert.equal(notice.length, 1);
    const parts = elements(notice[0] as Element)
      .filter((e) => classes(e).some((c) => /^(doc-|b-)/.test(c)) && !classes(e).includes('doc-closing-inner'))
      .map((e) => [e.tagName, classes(e)[0], textOf(e)]);
    assert.deepEqual(parts, [
      ['p', 'doc-number', '某政办发〔2020〕1号'],
      ['h1', 'doc-title', '关于印发某某的通知'],
      ['p', 'doc-to', '各单位：'],
      ['p', 'b-p', '现将要点印发给你们。'],
      ['h2', 'b-h1', '一、提高认识'],
      ['h3', 'b-h2', '（一）加强领导。要求如下。'],
      ['div', 'doc-closing', '某某办公室2020年9月30日'],
      ['p', 'doc-signature', '某某办公室'],
      ['p', 'doc-date', '2020年9月30日'],
      ['p', 'doc-note', '（此件公开发布）'],
    ]);
  }
  // A bare breakdown has no notice part.
  assert.equal(byClass(renderAll(build(CATEGORIES).view).preview, 'notice').length, 0);
});

test('structure: 落实举措 are drawn on separate lines', () => {
  const { view } = build(CATEGORIES);
  const { previewHtml } = renderAll(view);
  assert.ok(previewHtml.includes('举措一。<br>举措二。'), previewHtml);
});

test('structure: the export is one self-contained page: doctype, zh-CN, charset, CSP by hash, title, one style', () => {
  const { view } = build(NOTICE);
  const { exported, html } = renderAll(view);
  assert.match(html, /^<!doctype html>\n<html lang="zh-CN">/);
  assert.equal(attr(elements(exported, 'html')[0] as Element, 'lang'), 'zh-CN');
  assert.deepEqual(elements(exported, 'title').map(textOf), ['关于印发某某的通知']);
  const metas = elements(exported, 'meta');
  assert.equal(attr(metas[0] as Element, 'charset'), 'utf-8');
  const styles = elements(exported, 'style');
  assert.equal(styles.length, 1);
  const css = textOf(styles[0] as Element);
  const hash = createHash('sha256').update(css, 'utf8').digest('base64');
  assert.equal(attr(metas[1] as Element, 'http-equiv'), 'Content-Security-Policy');
  assert.equal(attr(metas[1] as Element, 'content'), `default-src 'none'; style-src 'sha256-${hash}'`);
  // Print: A4, GB/T 9704 margins, attachments on landscape pages, header rows repeated, rows kept whole.
  for (const rule of [
    '@page { size: A4 portrait; margin: 37mm 26mm 35mm 28mm; }',
    '@page landscape { size: A4 landscape;',
    'page: landscape; break-before: page;',
    'thead { display: table-header-group; }',
    'tr { break-inside: avoid;',
    'border-collapse: collapse;',
    'border: 1px solid var(--fj-border);',
    '--fj-border: #000;',
    '--fj-size-body: 16pt;',
    '--fj-size-title: 22pt;',
    '"仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong", "STFangsong", "Noto Serif CJK SC", serif',
    '"方正小标宋简体", "FZXiaoBiaoSong-B05S", "华文中宋", "STZhongsong", "Noto Serif CJK SC", serif',
  ]) {
    assert.ok(css.includes(rule), `the export's CSS has ${rule}`);
  }
  // Without a notice title, the first table's title names the page.
  assert.deepEqual(elements(renderAll(build(CATEGORIES).view).exported, 'title').map(textOf), ['表']);
});

test('structure: the preview is body content with theme-aware CSS', () => {
  const { view } = build(NOTICE);
  const { previewHtml, css } = renderAll(view);
  assert.doesNotMatch(previewHtml, /<(html|head|body|style|script|meta|link)\b/i);
  assert.match(previewHtml, /^<div class="fenjie">/);
  for (const s of ['var(--vscode-editor-foreground', 'var(--vscode-editor-background', 'var(--vscode-panel-border', 'var(--vscode-editor-selectionBackground', 'var(--vscode-errorForeground', '.paper .fenjie', 'tr.active', 'cursor: pointer']) {
    assert.ok(css.includes(s), `the preview's CSS has ${s}`);
  }
  assert.doesNotMatch(css, /<\/?style|@import|url\(/i);
});

// ---- the 按单位 view ----

function readUnits(root: Node): { heading: string; parts: { heading: string; headers: string[]; rows: string[][]; lines: (string | undefined)[] }[] }[] {
  return byClass(root, 'unit').map((s) => ({
    heading: byClass(s, 'unit-name').map(textOf).join(),
    parts: byClass(s, 'unit-part').map((h) => {
      // The part's content is the next element after its heading: a table, or “无”.
      const siblings = children(h.parentNode as Node).filter(isElement);
      const next = siblings[siblings.indexOf(h) + 1] as Element;
      if (next.tagName !== 'table') return { heading: textOf(h), headers: [], rows: [[textOf(next)]], lines: [] };
      const t = readTable(next);
      const rows: string[][] = [];
      for (const c of t.cells) (rows[c.row] ??= []).push(c.text);
      return { heading: textOf(h), headers: t.headers, rows, lines: t.lines };
    }),
  }));
}

test('the 按单位 view: a section per unit with counts, its led and joined tasks, rows with data-line', () => {
  const { view, units } = build(BY_UNIT);
  const { preview, exported } = renderAll(view, units);
  const headers = ['序号', '重点任务', '牵头单位', '责任单位', '完成时限'];
  // Units as written (财政局 is 市财政局's alias): the section is the full name's.
  const one = ['1', '任务一', '财政局', '市教育局、各区县政府', '12月底前'];
  const two = ['2', '任务二', '市教育局', '市财政局', '12月底前'];
  const [line1, line2] = units[0]?.leads.concat(units[0].joins).map((t) => String(t.line - 1)) ?? [];
  assert.deepEqual(readUnits(preview), [
    {
      heading: '市财政局（牵头 1 项，参与 1 项）',
      parts: [
        { heading: '牵头的任务', headers, rows: [one], lines: [line1] },
        { heading: '参与的任务', headers, rows: [two], lines: [line2] },
      ],
    },
    {
      heading: '市教育局（牵头 1 项，参与 1 项）',
      parts: [
        { heading: '牵头的任务', headers, rows: [two], lines: [line2] },
        { heading: '参与的任务', headers, rows: [one], lines: [line1] },
      ],
    },
    {
      heading: '各区县政府（牵头 0 项，参与 1 项）',
      parts: [
        { heading: '牵头的任务', headers: [], rows: [['无']], lines: [] },
        { heading: '参与的任务', headers, rows: [one], lines: [line1] },
      ],
    },
  ]);
  assert.equal(elements(preview, 'table').length, 5, 'no task tables beside the units');
  // The export: the same sections, without data-line.
  const exportedUnits = readUnits(exported);
  assert.equal(exportedUnits.length, 3);
  assert.ok(exportedUnits.every((u) => u.parts.every((p) => p.lines.every((l) => l === undefined))));
  assert.deepEqual(elements(exported, 'title').map(textOf), ['表（按单位）']);
});

test('the 按单位 view: 所在表 shows when the document has several tables; the notice stays above', () => {
  const { view, units } = build(NOTICE);
  const { preview } = renderAll(view, units);
  const sections = readUnits(preview);
  assert.deepEqual(sections[0]?.parts[0]?.headers, ['序号', '所在表', '重点任务', '牵头单位', '责任单位', '完成时限']);
  assert.deepEqual(sections[0]?.parts[0]?.rows, [['1', '附件1', '任务一', '市财政局', '各区县政府', '12月底前']]);
  assert.equal(byClass(preview, 'notice').length, 1);
  assert.equal(byClass(preview, 'attachment').length, 0);
});

for (const rel of EXAMPLE_FILES) {
  test(`the 按单位 view: ${rel}: every unit, every task it leads and joins`, () => {
    const { view, units } = example(rel);
    const { preview } = renderAll(view, units);
    const drawn = readUnits(preview);
    assert.equal(drawn.length, units.length);
    units.forEach((u, i) => {
      const d = drawn[i];
      assert.equal(d?.heading, `${u.name}（牵头 ${u.leads.length} 项，参与 ${u.joins.length} 项）`);
      const lines = (tasks: typeof u.leads): string[] => tasks.map((t) => String(t.line - 1));
      assert.deepEqual(d?.parts.map((p) => (p.lines.length > 0 ? p.lines : p.rows)), [u.leads, u.joins].map((ts) => (ts.length > 0 ? lines(ts) : [['无']])));
    });
  });
}

// ---- 2. XSS corpus ----

const PAYLOADS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<svg onload=alert(1)>',
  '[点我](javascript:alert(1))',
  '[命令](command:workbench.action.terminal.new)',
  '<a href="command:workbench.action.terminal.new">x</a>',
  '<meta http-equiv="refresh" content="0;url=http://example.com">',
  '<base href="http://example.com/">',
  '<iframe src="http://example.com"></iframe>',
  '"><script>alert(1)</script>',
  '</style><script>alert(1)</script>',
  "' onmouseover='alert(1)",
  '<!--',
  '<![CDATA[',
  'javascript:alert(1)',
];

/** A YAML single-quoted scalar. */
const yamlQuoted = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/** A notice with `p` in every place content comes from. */
function hostile(p: string): string {
  const q = yamlQuoted(p);
  // On a line of its own the payload is an HTML block; `<!--` and `<![CDATA[` would swallow the rest of the document.
  const block = p.startsWith('<!') ? [] : [p, ''];
  return [
    '---',
    `发文机关: ${q}`,
    `发文字号: ${q}`,
    `标题: ${q}`,
    `主送机关: ${q}`,
    '成文日期: 2020-09-30',
    `署名: ${q}`,
    `附注: ${q}`,
    '---',
    '',
    `正文 ${p}`,
    '',
    ...block,
    `一、要求 ${p}`,
    '',
    `# 附件1：表 ${p}`,
    '',
    `## 一、类别 ${p}`,
    '',
    `### （一）子类 ${p}`,
    '',
    `1. 任务 ${p}`,
    `   举措一 ${p}`,
    '',
    `   举措二 ${p}`,
    `   - 牵头单位：${p}`,
    `   - 责任单位：市财政局、${p}`,
    `   - 完成时限：${p}`,
    `   - 备注：${p}`,
    '',
    `# 附件2：${p}`,
    '',
    `- 任务 ${p}（牵头单位：${p}；完成时限：${p}）`,
    '',
  ].join('\n');
}

const FORBIDDEN = ['script', 'iframe', 'object', 'embed', 'base', 'link', 'img', 'svg', 'a', 'form', 'frame', 'frameset', 'math', 'noscript', 'template'];
const ALLOWED_ATTRIBUTES = new Set(['class', 'rowspan', 'colspan', 'scope', 'data-line', 'lang', 'charset', 'http-equiv', 'content']);

/** What no rendering may hold, whatever the document says. */
function assertSafe(root: Node, exported: boolean, label: string): void {
  const els = elements(root);
  for (const el of els) {
    assert.ok(!FORBIDDEN.includes(el.tagName), `${label}: <${el.tagName}>`);
    for (const a of el.attrs) {
      assert.ok(!a.name.toLowerCase().startsWith('on'), `${label}: attribute ${a.name}`);
      assert.ok(ALLOWED_ATTRIBUTES.has(a.name), `${label}: unexpected attribute ${a.name} on <${el.tagName}>`);
      assert.doesNotMatch(a.value, /javascript:|command:/i, `${label}: attribute value ${a.value}`);
    }
    const line = attr(el, 'data-line');
    if (line !== undefined) assert.match(line, /^\d+$/);
    for (const name of ['rowspan', 'colspan']) {
      const v = attr(el, name);
      if (v !== undefined) assert.match(v, /^\d+$/);
    }
  }
  const metas = els.filter((e) => e.tagName === 'meta');
  const styles = els.filter((e) => e.tagName === 'style');
  if (exported) {
    assert.equal(metas.length, 2, `${label}: the charset and CSP <meta> only`);
    assert.deepEqual(metas[0]?.attrs, [{ name: 'charset', value: 'utf-8' }]);
    assert.deepEqual(metas[1]?.attrs.map((a) => a.name), ['http-equiv', 'content']);
    assert.equal(styles.length, 1, `${label}: exactly one <style>`);
    const hash = createHash('sha256').update(textOf(styles[0] as Element), 'utf8').digest('base64');
    assert.equal(attr(metas[1] as Element, 'content'), `default-src 'none'; style-src 'sha256-${hash}'`);
    assert.equal(elements(root, 'body').length, 1);
  } else {
    assert.equal(metas.length, 0, `${label}: no <meta> in the preview`);
    assert.equal(styles.length, 0, `${label}: no <style> in the preview`);
  }
  assert.equal(allNodes(root).filter((n) => n.nodeName === '#comment').length, 0, `${label}: a comment`);
}

for (const p of PAYLOADS) {
  test(`XSS: ${p} is text wherever it is written`, () => {
    const { view, units } = build(hostile(p));
    // The payload reached the view everywhere it can (else this test would prove little).
    assert.deepEqual(view.notice, { issuer: p, number: p, title: p, to: p, signature: p, note: p, date: '2020年9月30日' });
    assert.equal(view.tables.length, 2);
    assert.equal(view.tables[0]?.rows.length, 1);
    assert.equal(view.tables[1]?.rows.length, 1);
    assert.ok(units.length >= 2);

    for (const byUnit of [false, true]) {
      const { exported, preview, html, previewHtml } = renderAll(view, byUnit ? units : undefined);
      const label = byUnit ? '按单位' : '表格';
      assertSafe(exported, true, `export ${label}`);
      assertSafe(preview, false, `preview ${label}`);
      assert.doesNotMatch(previewHtml, /<(html|head|body|style|script|meta)\b/i);
      // No raw '<' of the payload survives: every '<' in the markup opens one of our tags.
      for (const markup of [html, previewHtml]) {
        for (const m of markup.matchAll(/<(\/?)([^\s>/]*)/g)) assert.match(m[2] ?? '', /^(!doctype|[a-z][a-z0-9]*)$/, `a stray '<' before ${m[2]}`);
      }

      for (const root of [exported, preview]) {
        // Escaped, not dropped: the notice's parts show the payload literally.
        const one = (cls: string): string => byClass(root, cls).map(textOf).join('|');
        assert.equal(one('doc-number'), p);
        assert.equal(one('doc-title'), p);
        assert.equal(one('doc-to'), `${p}：`);
        assert.equal(one('doc-signature'), p);
        assert.equal(one('doc-note'), p);
        assert.deepEqual(byClass(root, 'notice').flatMap((n) => elements(n).filter((e) => /^b-/.test(classes(e)[0] ?? ''))).map(textOf), view.body.map((b) => b.text));
        if (byUnit) {
          assert.deepEqual(byClass(root, 'unit-name').map(textOf), units.map((u) => `${u.name}（牵头 ${u.leads.length} 项，参与 ${u.joins.length} 项）`));
          assert.ok(visibleText(root).includes(`任务 ${p}`));
        } else {
          checkTables(root, view, root === preview);
          assert.deepEqual(byClass(root, 'att-title').map(textOf), [`表 ${p}`, p]);
          const cells = elements(root, 'td').map(textOf);
          for (const text of [`一、类别 ${p}`, `（一）子类 ${p}`, `任务 ${p}`, `举措一 ${p}\n举措二 ${p}`]) assert.ok(cells.includes(text), `a cell reads ${text}`);
        }
      }
      assert.deepEqual(elements(exported, 'title').map(textOf), [byUnit ? `${p}（按单位）` : p]);
    }
  });
}

// ---- 3. nothing from the network ----

/** Occurrences of `needle` in `hay`. */
function count(hay: string, needle: string): number {
  return hay.split(needle).length - 1;
}

test('the export names no URL: http: and https: appear only inside the document text', () => {
  const docs = [...EXAMPLE_FILES.map((rel) => example(rel)), build(NOTICE), ...PAYLOADS.map((p) => build(hostile(p)))];
  for (const { view, units } of docs) {
    for (const byUnit of [false, true]) {
      const { exported, html, previewHtml, preview, css } = renderAll(view, byUnit ? units : undefined);
      for (const [root, markup] of [
        [exported, html],
        [preview, previewHtml],
      ] as const) {
        const texts = allNodes(root)
          .filter((n): n is DefaultTreeAdapterTypes.TextNode => n.nodeName === '#text' && !(n.parentNode && isElement(n.parentNode) && n.parentNode.tagName === 'style'))
          .map((n) => n.value)
          .join('\n');
        for (const scheme of ['http:', 'https:', '//']) {
          assert.equal(count(markup, scheme), count(texts, scheme), `${scheme} outside the document text`);
        }
        for (const el of elements(root)) for (const a of el.attrs) assert.doesNotMatch(a.value, /https?:|\/\//, `attribute ${a.name}="${a.value}"`);
      }
      assert.doesNotMatch(css, /https?:|url\(|@import/);
      const style = elements(exported, 'style').map(textOf).join('');
      assert.doesNotMatch(style, /https?:|url\(|@import|@font-face/);
    }
  }
  // The examples hold no URL at all: neither does their export.
  for (const rel of EXAMPLE_FILES) assert.doesNotMatch(renderHtmlDocument(example(rel).view), /https?:/);
});

test('a breakdown whose 标题 only repeats its table title shows the title once, as Word does', () => {
  const { view } = build('---\n标题: 任务分解表\n---\n# 任务分解表\n\n1. 任务（牵头单位：财政局；完成时限：12月底前）\n');
  const html = renderHtmlDocument(view);
  assert.equal(html.split('<body')[1]?.split('任务分解表').length, 2, 'the title appears once in the page');
});
