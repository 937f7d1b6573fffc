/**
 * The preview's pure parts: the messages between the webview and the extension, and the
 * page the webview is given. No `vscode` here, so that tests can run it.
 *
 * The webview shows markup drawn by the server from the user's document; whatever it sends
 * back is treated as untrusted input and accepted only in the exact shapes below.
 */

/** Webview → extension. */
export type WebviewMessage =
  /** The user clicked a task row: put the cursor on that (0-based) line of the source. */
  | { type: 'reveal'; line: number }
  /** The toolbar's 表格 / 按单位 buttons. */
  | { type: 'toggleByUnit' }
  /** The toolbar's 纸面 button. */
  | { type: 'togglePaper' };

/** Extension → webview (trusted; preview.js still checks the shapes). */
export type HostMessage =
  /** New content after an edit or a change of view; the page keeps its scroll position. */
  | { type: 'update'; html: string; byUnit: boolean }
  /** The cursor is on this 0-based line of the source. */
  | { type: 'highlight'; line: number }
  | { type: 'paper'; on: boolean };

/** No document has this many lines; a larger number in a message is not a line. */
export const MAX_LINE = 10_000_000;

/**
 * The message if `value` is exactly one of the {@link WebviewMessage} shapes, else undefined.
 *
 * Rules: a plain object (prototype Object.prototype or null; no arrays, class instances or
 * boxed values) whose own keys are exactly those of its shape (an extra key, even a harmless
 * one, rejects the message: preview.js never sends one, so it can only come from something
 * else); every key a plain data property (no getters); `type` one of the three strings;
 * `line` a number that is an integer, 0 ≤ line < {@link MAX_LINE}. The result is a new object,
 * never the value passed in. Never throws.
 */
export function parseWebviewMessage(value: unknown): WebviewMessage | undefined {
  try {
    return parse(value);
  } catch {
    // Proxies and other exotic objects can throw from their traps: such a value is no message.
    return undefined;
  }
}

function parse(value: unknown): WebviewMessage | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return undefined;
  const keys = Reflect.ownKeys(value);
  const type = dataProperty(value, 'type');
  switch (type) {
    case 'toggleByUnit':
    case 'togglePaper':
      return keys.length === 1 ? { type } : undefined;
    case 'reveal': {
      if (keys.length !== 2) return undefined;
      const line = dataProperty(value, 'line');
      if (typeof line !== 'number' || !Number.isInteger(line) || line < 0 || line >= MAX_LINE) return undefined;
      // `+ 0` turns -0 into 0.
      return { type, line: line + 0 };
    }
    default:
      return undefined;
  }
}

/** An own data property's value; undefined for a missing key or an accessor (whose getter is never run). */
function dataProperty(object: object, key: string): unknown {
  const descriptor = Object.getOwnPropertyDescriptor(object, key);
  return descriptor && 'value' in descriptor ? descriptor.value : undefined;
}

/** Text for HTML content or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Text for a double-quoted attribute value, with its single quotes kept (the CSP reads better so). */
function escapeDoubleQuoted(text: string): string {
  return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * CSS to put inside a `<style>` element: the element ends at the first `</style`, wherever
 * it is, so such a sequence (which no real stylesheet needs) is broken up.
 */
export function styleText(css: string): string {
  return css.replace(/<\/(style)/gi, '<\\/$1');
}

/** The Content-Security-Policy of the preview page. */
export function previewCsp(cspSource: string, nonce: string): string {
  return (
    `default-src 'none'; style-src ${cspSource} 'nonce-${nonce}'; script-src 'nonce-${nonce}'; ` +
    `img-src ${cspSource} data:; font-src ${cspSource};`
  );
}

/** The localised words of the page shell (the extension passes vscode.l10n strings). */
export interface PageLabels {
  toolbar: string;
  tables: string;
  tablesTooltip: string;
  byUnit: string;
  byUnitTooltip: string;
  paper: string;
  paperTooltip: string;
}

export interface PageOptions {
  /** `webview.cspSource`. */
  cspSource: string;
  /** Fresh for each page: base64 or hex, no quotes. */
  nonce: string;
  /** `webview.asWebviewUri(client/media/preview.js)`, as a string. */
  scriptUri: string;
  title: string;
  /** The server's stylesheet. */
  css: string;
  /** The server's markup (it escapes all document content), or a message made with {@link messageHtml}. */
  html: string;
  byUnit: boolean;
  paper: boolean;
  /** The cursor's line in the source, to highlight once loaded; undefined when unknown. */
  line: number | undefined;
  labels: PageLabels;
}

/** The toolbar's own look; the server's stylesheet follows it and may override it. */
const SHELL_CSS = `
.fj-toolbar { position: sticky; top: 0; z-index: 10; display: flex; justify-content: flex-end; gap: 4px; padding: 6px 0; background: var(--vscode-editor-background, Canvas); }
.fj-toolbar button { font: inherit; font-size: 12px; line-height: 18px; padding: 1px 8px; border: 1px solid var(--vscode-button-border, ButtonBorder); border-radius: 2px; cursor: pointer; background: var(--vscode-button-secondaryBackground, ButtonFace); color: var(--vscode-button-secondaryForeground, ButtonText); }
.fj-toolbar button:hover { background: var(--vscode-button-secondaryHoverBackground, ButtonFace); }
.fj-toolbar button[aria-pressed="true"] { background: var(--vscode-button-background, Highlight); color: var(--vscode-button-foreground, HighlightText); }
.fj-toolbar button:focus-visible { outline: 1px solid var(--vscode-focusBorder, Highlight); outline-offset: 1px; }
.fj-toolbar .fj-gap { width: 8px; }
.fj-message { color: var(--vscode-descriptionForeground, GrayText); padding: 1em 0; }
tr[data-line] { cursor: pointer; }
@media print { .fj-toolbar { display: none; } }
`;

/**
 * The whole webview page: CSP with a nonce, one nonce'd `<style>`, the toolbar, the content
 * and one nonce'd `<script src>`. No inline script and no inline event handlers: preview.js
 * adds the listeners. The class `paper` goes on the root element (`<html>`).
 */
export function buildPreviewPage(o: PageOptions): string {
  const nonce = escapeHtml(o.nonce);
  const l = o.labels;
  const pressed = (on: boolean): string => (on ? 'true' : 'false');
  const line = o.line !== undefined && Number.isInteger(o.line) && o.line >= 0 ? ` data-highlight="${o.line}"` : '';
  return `<!DOCTYPE html>
<html lang="zh-CN"${o.paper ? ' class="paper"' : ''}>
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeDoubleQuoted(previewCsp(o.cspSource, o.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(o.title)}</title>
<style nonce="${nonce}">${styleText(SHELL_CSS + o.css)}</style>
</head>
<body data-by-unit="${pressed(o.byUnit)}" data-paper="${pressed(o.paper)}"${line}>
<div class="fj-toolbar" role="toolbar" aria-label="${escapeHtml(l.toolbar)}">
<button type="button" id="fj-tables" title="${escapeHtml(l.tablesTooltip)}" aria-pressed="${pressed(!o.byUnit)}">${escapeHtml(l.tables)}</button>
<button type="button" id="fj-by-unit" title="${escapeHtml(l.byUnitTooltip)}" aria-pressed="${pressed(o.byUnit)}">${escapeHtml(l.byUnit)}</button>
<span class="fj-gap"></span>
<button type="button" id="fj-paper" title="${escapeHtml(l.paperTooltip)}" aria-pressed="${pressed(o.paper)}">${escapeHtml(l.paper)}</button>
</div>
<main id="fj-content">${o.html}</main>
<script nonce="${nonce}" src="${escapeHtml(o.scriptUri)}"></script>
</body>
</html>
`;
}

/** A short message shown in place of the tables. */
export function messageHtml(text: string): string {
  return `<p class="fj-message">${escapeHtml(text)}</p>`;
}
