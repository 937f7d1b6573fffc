/*
 * The CSS of the HTML renderer (html.ts). The layout rules are shared by the preview and the
 * export and read their colours, fonts and sizes from custom properties (--fj-*); each of the
 * two sets those properties its own way: the export in the official styles (GB/T 9704-2012),
 * the preview from the VS Code colour theme, or as paper when an ancestor has class "paper".
 *
 * Static text only: no document content is ever placed in CSS, and no URL appears here.
 */

/** Font stacks of the official styles, with fallbacks on Windows, macOS and Linux. */
export const FONTS = {
  fangsong: '"仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong", "STFangsong", "Noto Serif CJK SC", serif',
  hei: '"黑体", "SimHei", "Heiti SC", "STHeiti", "Noto Sans CJK SC", sans-serif',
  kai: '"楷体_GB2312", "KaiTi_GB2312", "楷体", "KaiTi", "STKaiti", "Noto Serif CJK SC", serif',
  xiaobiaosong: '"方正小标宋简体", "FZXiaoBiaoSong-B05S", "华文中宋", "STZhongsong", "Noto Serif CJK SC", serif',
} as const;

/** The official look: 3号 (16pt) 仿宋 text, 2号 (22pt) 小标宋 titles, black on white. */
const OFFICIAL_VARS = `
  --fj-fg: #000;
  --fj-bg: #fff;
  --fj-border: #000;
  --fj-head-bg: transparent;
  --fj-missing: #c00;
  --fj-missing-bg: #fde8e8;
  --fj-font-body: ${FONTS.fangsong};
  --fj-font-hei: ${FONTS.hei};
  --fj-font-kai: ${FONTS.kai};
  --fj-font-title: ${FONTS.xiaobiaosong};
  --fj-size-body: 16pt;
  --fj-size-title: 22pt;
  --fj-size-table: 12pt;
  --fj-line: 28.95pt;
  --fj-title-weight: normal;`;

/** Layout shared by the preview and the export. */
const LAYOUT_CSS = `
.fenjie {
  color: var(--fj-fg);
  background: var(--fj-bg);
  font-family: var(--fj-font-body);
  font-size: var(--fj-size-body);
  line-height: var(--fj-line);
}
.fenjie p, .fenjie h1, .fenjie h2, .fenjie h3, .fenjie h4 {
  margin: 0;
  font-size: var(--fj-size-body);
  font-weight: normal;
}
.fenjie .doc-number { text-align: center; }
.fenjie .doc-title {
  font-family: var(--fj-font-title);
  font-size: var(--fj-size-title);
  font-weight: var(--fj-title-weight);
  line-height: 1.5;
  text-align: center;
  margin: 1em 0;
}
.fenjie .doc-to { margin-top: 0.5em; }
.fenjie .b-p, .fenjie .b-h1, .fenjie .b-h2, .fenjie .b-h3 { text-indent: 2em; }
.fenjie .b-h1 { font-family: var(--fj-font-hei); }
.fenjie .b-h2 { font-family: var(--fj-font-kai); }
.fenjie .b-h3 { font-family: var(--fj-font-body); font-weight: bold; }
.fenjie .doc-closing { margin: 2em 4em 0 0; text-align: right; }
.fenjie .doc-closing-inner { display: inline-block; text-align: center; }
.fenjie .doc-note { text-indent: 2em; margin-top: 1em; }
.fenjie .att-label { font-family: var(--fj-font-hei); text-align: left; }
.fenjie .att-title {
  font-family: var(--fj-font-title);
  font-size: var(--fj-size-title);
  font-weight: var(--fj-title-weight);
  line-height: 1.5;
  text-align: center;
  margin: 0.5em 0 0.75em;
}
.fenjie .unit-name { font-family: var(--fj-font-hei); margin-bottom: 0.5em; }
.fenjie .unit-part { font-family: var(--fj-font-kai); margin: 0.75em 0 0.25em; }
.fenjie .none, .fenjie .empty { text-indent: 2em; }
.fenjie table.tasks {
  width: 100%;
  border-collapse: collapse;
  font-size: var(--fj-size-table);
  line-height: 1.45;
}
.fenjie table.tasks th, .fenjie table.tasks td {
  border: 1px solid var(--fj-border);
  padding: 2pt 4pt;
  vertical-align: middle;
  text-align: left;
}
.fenjie table.tasks th {
  font-family: var(--fj-font-hei);
  font-weight: normal;
  text-align: center;
  background: var(--fj-head-bg);
}
.fenjie table.tasks td.center { text-align: center; }
.fenjie table.tasks td.missing { background: var(--fj-missing-bg); }
.fenjie .missing-mark { color: var(--fj-missing); font-family: var(--fj-font-hei); }
.fenjie col.c-number { width: 3em; }
.fenjie col.c-category { width: 8em; }
.fenjie col.c-table { width: 6em; }
.fenjie col.c-lead, .fenjie col.c-responsible, .fenjie col.c-cooperating { width: 8em; }
.fenjie col.c-deadline { width: 6em; }
.fenjie col.c-note { width: 5em; }
`;

/** The export: official styles on A4, the notice portrait, every attachment on landscape pages. */
export const EXPORT_CSS = `
:root {${OFFICIAL_VARS}
}
html { background: var(--fj-bg); }
body { margin: 0; }
${LAYOUT_CSS.trim()}
.fenjie table.tasks thead { display: table-header-group; }
.fenjie table.tasks tr { break-inside: avoid; page-break-inside: avoid; }
.fenjie .att-label, .fenjie .att-title, .fenjie .unit-name, .fenjie .unit-part { break-after: avoid; page-break-after: avoid; }
@page { size: A4 portrait; margin: 37mm 26mm 35mm 28mm; }
/* The portrait margins turned a quarter: the table's top at the binding edge (GB/T 9704 §10.1). */
@page landscape { size: A4 landscape; margin: 28mm 37mm 26mm 35mm; }
.attachment, .unit { page: landscape; break-before: page; page-break-before: always; }
@media screen {
  html { background: #d9d9d9; }
  body { padding: 8mm 0; }
  .fenjie { background: none; }
  .notice, .attachment, .unit {
    box-sizing: border-box;
    margin: 0 auto 8mm;
    background: var(--fj-bg);
    box-shadow: 0 1px 4px rgba(0, 0, 0, 0.3);
  }
  .notice { width: 210mm; min-height: 297mm; padding: 37mm 26mm 35mm 28mm; }
  .attachment, .unit { width: 297mm; min-height: 210mm; padding: 28mm 37mm 26mm 35mm; }
  .fenjie > .empty { width: 210mm; margin: 0 auto; }
}
@media print {
  .fenjie table.tasks td.missing { background: none; }
}
`.trimStart();

/** The preview: colours from the VS Code theme; official styles on a white page under `.paper`. */
export const PREVIEW_CSS = `
.fenjie {
  --fj-fg: var(--vscode-editor-foreground, #1f1f1f);
  --fj-bg: var(--vscode-editor-background, #fff);
  --fj-border: var(--vscode-panel-border, var(--vscode-editorWidget-border, #888));
  --fj-head-bg: var(--vscode-editorWidget-background, rgba(128, 128, 128, 0.12));
  --fj-hover: var(--vscode-list-hoverBackground, rgba(128, 128, 128, 0.15));
  --fj-active: var(--vscode-editor-selectionBackground, #add6ff);
  --fj-active-outline: var(--vscode-focusBorder, #0078d4);
  --fj-missing: var(--vscode-errorForeground, #e51400);
  --fj-missing-bg: var(--vscode-inputValidation-errorBackground, rgba(229, 20, 0, 0.12));
  --fj-font-body: var(--vscode-font-family, system-ui, sans-serif);
  --fj-font-hei: ${FONTS.hei};
  --fj-font-kai: ${FONTS.kai};
  --fj-font-title: ${FONTS.xiaobiaosong};
  --fj-size-body: var(--vscode-font-size, 13px);
  --fj-size-title: calc(var(--fj-size-body) * 1.5);
  --fj-size-table: var(--fj-size-body);
  --fj-line: 1.7;
  --fj-title-weight: bold;
  padding: 8px 0 24px;
}
.paper .fenjie, .fenjie.paper {${OFFICIAL_VARS}
  --fj-hover: #f2f2f2;
  --fj-active: #fff0a8;
  --fj-active-outline: #b38f00;
  max-width: 297mm;
  margin: 12px auto;
  padding: 20mm 24mm;
  box-sizing: border-box;
  box-shadow: 0 1px 6px rgba(0, 0, 0, 0.35);
}
${LAYOUT_CSS.trim()}
.fenjie .notice, .fenjie .attachment, .fenjie .unit { margin-bottom: 2.5em; }
.fenjie table.tasks td.missing { outline: 1px dashed var(--fj-missing); outline-offset: -3px; }
.fenjie table.tasks tbody tr[data-line] { cursor: pointer; }
.fenjie table.tasks tbody tr[data-line]:hover > td { background: var(--fj-hover); }
.fenjie table.tasks tbody tr.active > td { background: var(--fj-active); }
.fenjie table.tasks tbody tr.active > td:first-child { box-shadow: inset 3px 0 0 var(--fj-active-outline); }
`.trimStart();
