import type { List, Root, RootContent } from 'mdast';
import { parseMarkdown } from './markdown.ts';
import { detach } from './text.ts';

/**
 * Splits a document at its top-level seams so that each piece can be parsed on its own and
 * the results joined give the tree a parse of the whole would. Seams are the starts of
 * lines at the left margin that open an ATX heading or a list item where no construct of
 * the line before can continue over them (no open fence, HTML block, or paragraph that the
 * line would continue lazily). Parsing piece by piece is what lets the editor re-parse only
 * the task an edit touched, and it keeps the parser off its slow paths on long lists.
 *
 * A document with link reference or footnote definitions is not split: those are global.
 */

export interface Piece {
  start: number;
  end: number;
}

const FENCE = /^([ \t]*)(`{3,}|~{3,})(.*)$/;
const HEADING = /^#{1,6}(?:[ \t]|$)/;
const BULLET = /^[-*+](?:[ \t]|$)/;
const ORDERED = /^(\d{1,9})[.)](?:[ \t]|$)/;
const SETEXT = /^(?:=+|-+)[ \t]*$/;
const THEMATIC = /^(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$/;
/**
 * A link reference or footnote definition's label. A label holds at most 999 characters
 * (CommonMark), so the search from each line start is bounded: linear in the text even where
 * no `]` follows (a `\r`-only text is one long line to `[^\]\\\n]`).
 */
const DEFINITION = /^ {0,3}\[(?:[^\]\\\n]|\\.){1,999}\]:/m;
/**
 * Whether some line holds a code fence that is not at the margin (inside a list item or
 * quote, or indented): a line that starts with a space, tab, `>`, a list marker character or
 * a digit, and after any run of indentation, quote marks (each with one optional space) and
 * list markers (each followed by spaces or the line's end) opens ``` or ~~~.
 *
 * Read by hand, once per character: as a regular expression the runs of spaces could be
 * shared out between a quote mark and the indentation after it in exponentially many ways
 * (`> > > … 任务` took seconds from 20 marks). The tokens start with distinct characters,
 * so reading greedily finds a fence wherever any sharing would.
 */
export function hasNestedFence(text: string): boolean {
  const n = text.length;
  let at = 0;
  while (at < n) {
    const first = text.charCodeAt(at);
    // The first character decides whether the line is looked at further.
    if (first === 32 || first === 9 || first === 62 || first === 42 || first === 43 || first === 45 || (first >= 48 && first <= 57)) {
      let i = at;
      for (;;) {
        while (i < n && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
        const c = text.charCodeAt(i);
        if (c === 62) {
          i++;
          continue;
        }
        let k = i;
        if (c === 45 || c === 42 || c === 43) k = i + 1;
        else if (c >= 48 && c <= 57) {
          while (k < n && k - i < 9 && text.charCodeAt(k) >= 48 && text.charCodeAt(k) <= 57) k++;
          const d = text.charCodeAt(k);
          k = d === 46 || d === 41 ? k + 1 : i;
        }
        // A marker needs a space, a tab or the line's end after it.
        if (k > i && (k >= n || text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9 || isLineEnd(text.charCodeAt(k)))) {
          i = k;
          continue;
        }
        break;
      }
      const f = text.charCodeAt(i);
      if ((f === 96 || f === 126) && text.charCodeAt(i + 1) === f && text.charCodeAt(i + 2) === f) return true;
      at = i;
    }
    while (at < n && !isLineEnd(text.charCodeAt(at))) at++;
    at++;
  }
  return false;
}

/** A line terminator as `^` and `$` of a multiline regular expression see one. */
function isLineEnd(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}

const HTML_START = /^[ \t>*+\-\d.)]*<(?:!--|\?|![A-Za-z]|!\[CDATA\[|\/?[A-Za-z])/m;
const FRONT_MATTER = /^---[ \t]*(?:\r\n|\r|\n)/;

function indentOf(line: string): number {
  let w = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 32) w++;
    else if (c === 9) w += 4 - (w % 4);
    else break;
  }
  return w;
}

/** Width of a list item's content indent: marker, then 1 to 4 spaces. */
function contentIndent(line: string, markerLength: number): number {
  let spaces = 0;
  while (spaces < 5 && (line[markerLength + spaces] === ' ' || line[markerLength + spaces] === '\t')) spaces++;
  if (spaces === 0 || spaces > 4 || markerLength + spaces >= line.length) return markerLength + 1;
  return markerLength + spaces;
}

const CONTAINER_PREFIX = /^[ \t]*(?:(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)|>[ \t]?)+/;

function fenceOpen(content: string): { ch: string; len: number } | undefined {
  const f = FENCE.exec(content);
  if (!f || indentOf(content) > 3) return undefined;
  const mark = f[2] as string;
  if (mark[0] === '`' && (f[3] as string).includes('`')) return undefined;
  return { ch: mark[0] as string, len: mark.length };
}

function fenceCloses(content: string, open: { ch: string; len: number }): boolean {
  const f = FENCE.exec(content);
  return !!f && indentOf(content) <= 3 && (f[2] as string)[0] === open.ch && (f[2] as string).length >= open.len && /^[ \t]*$/.test(f[3] as string);
}

/** The last split of a document, from which the next version is split where it changed. */
export interface SplitMemo {
  text: string;
  seams: number[];
  /** Where its lines after front matter begin. */
  body: number;
}

/** How a version differs from the one before: the lengths of their common start and end. */
export interface TextChange {
  p: number;
  q: number;
  /** New length minus old length. */
  delta: number;
}

/** The lengths of the common start and end of two versions (the end not overlapping the start). */
export function textChange(old: string, text: string): TextChange {
  const p = commonPrefix(old, text);
  const q = commonSuffix(old, text, Math.min(old.length, text.length) - p);
  return { p, q, delta: text.length - old.length };
}

/**
 * Splits `text` into pieces. Given the split of the previous version (`memo`), only the
 * lines from the last seam before the change to the first seam after it where both
 * versions agree again are read; `memo` is updated to this version, and `memo.change`
 * says how this version differs from the last (undefined when read whole).
 */
export function splitPieces(text: string, memo?: { last?: SplitMemo; change?: TextChange }): Piece[] {
  const found = findSeams(text, memo?.last);
  if (memo) {
    memo.last = found ? { text, seams: found.seams, body: found.body } : undefined;
    memo.change = found?.change;
  }
  if (!found) return [{ start: 0, end: text.length }];
  const { seams } = found;
  const pieces: Piece[] = [];
  for (let i = 0; i < seams.length; i++) pieces.push({ start: seams[i] as number, end: seams[i + 1] ?? text.length });
  return pieces;
}

/** Where the text's lines after front matter begin; undefined when it is not to be split at all. */
function bodyStart(text: string): number | undefined {
  // Definitions are global; and where a fence sits inside a container, the parser ends an
  // unclosed one differently in a piece than in the whole. Such documents are parsed whole.
  // Raw HTML blocks follow rules of their own (which of them may interrupt a paragraph, how
  // each ends); a breakdown seldom has any, so such a document is parsed whole too.
  if (DEFINITION.test(text) || hasNestedFence(text) || HTML_START.test(text)) return undefined;
  // Front matter is only front matter at the very start, and its YAML may hold `- ` lines.
  if (!FRONT_MATTER.test(text)) return 0;
  const close = /(?:\r\n|\r|\n)(?:---|\.\.\.)[ \t]*(?:\r\n|\r|\n|$)/g;
  close.lastIndex = 3;
  const m = close.exec(text);
  // Unclosed, the parser's attempt at front matter leaves it reading on differently: don't split.
  return m ? m.index + m[0].length : undefined;
}

/** Length of the common start of two strings; compared in blocks first (native comparison). */
function commonPrefix(a: string, b: string): number {
  const max = Math.min(a.length, b.length);
  let i = 0;
  for (let step = 4096; step >= 1; step >>= 4) {
    while (i + step <= max && a.slice(i, i + step) === b.slice(i, i + step)) i += step;
  }
  while (i < max && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** Length of the common end of two strings, at most `max`. */
function commonSuffix(a: string, b: string, max: number): number {
  let i = 0;
  for (let step = 4096; step >= 1; step >>= 4) {
    while (i + step <= max && a.slice(a.length - i - step, a.length - i) === b.slice(b.length - i - step, b.length - i)) i += step;
  }
  while (i < max && a.charCodeAt(a.length - 1 - i) === b.charCodeAt(b.length - 1 - i)) i++;
  return i;
}

function lineContentEnd(text: string, at: number): number {
  while (at < text.length) {
    const c = text.charCodeAt(at);
    if (c === 10 || c === 13) break;
    at++;
  }
  return at;
}

/** Index of the last element of sorted `xs` that is <= x, or -1. */
function lastAtMost(xs: number[], x: number): number {
  let lo = 0;
  let hi = xs.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((xs[mid] as number) <= x) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

function findSeams(text: string, last: SplitMemo | undefined): { seams: number[]; body: number; change?: TextChange } | undefined {
  if (last && last.text === text) return { seams: last.seams, body: last.body, change: { p: text.length, q: 0, delta: 0 } };
  if (last) {
    const old = last.text;
    const change = textChange(old, text);
    const { p, q, delta } = change;
    // The last version had no definition, nested fence or HTML (it was split): this one has
    // none unless on the lines the edit touched (each of those constructs starts and ends
    // on one line). Its front matter is as it was when the change is past it and past the
    // first line (which decides whether there is front matter at all).
    if (p > last.body && p > lineContentEnd(old, 0)) {
      const lo = text.lastIndexOf('\n', p - 1) + 1;
      const nl = text.indexOf('\n', text.length - q);
      const touched = text.slice(lo, nl < 0 ? text.length : nl);
      if (DEFINITION.test(touched) || hasNestedFence(touched) || HTML_START.test(touched)) return undefined;
      // The last seam whose whole line (up to its line break) lies before the change: the
      // state of the reading after that line depends on the line alone (a heading or a list
      // item at the margin), so reading can start again there.
      let k = lastAtMost(last.seams, p);
      while (k >= 1 && lineContentEnd(old, last.seams[k] as number) >= p) k--;
      if (k >= 1 && (last.seams[k] as number) >= last.body) {
        const changedEnd = text.length - q;
        const seams = last.seams.slice(0, k);
        // From a seam in the unchanged end that was a seam before too, the rest is as before.
        scan(text, last.seams[k] as number, seams, (x) => {
          if (x < changedEnd) return false;
          const j = lastAtMost(last.seams, x - delta);
          if (j < 0 || last.seams[j] !== x - delta) return false;
          for (let i = j + 1; i < last.seams.length; i++) seams.push((last.seams[i] as number) + delta);
          return true;
        });
        return { seams, body: last.body, change };
      }
    }
  }
  const body = bodyStart(text);
  if (body === undefined) return undefined;
  const seams = [0];
  scan(text, body, seams);
  return { seams, body };
}

/**
 * Reads lines from `at` (a line start where nothing is open: the document's start, or a
 * seam), adding seams; stops early when `converged` says so after a seam.
 */
function scan(text: string, at: number, seams: number[], converged?: (seam: number) => boolean): void {
  const n = text.length;
  /*
   * What the lines so far leave open at the top level:
   * none: nothing (start, or after a blank line following a closed block);
   * para: a paragraph (or quote, table) that a line may continue lazily;
   * list: a list item, `itemIndent` wide; `itemPara` when its last block is a paragraph;
   * code: indented code, which stays open over blank lines;
   * fence: a fenced code block, read until it closes;
   * other: a block closed at its own line (heading, thematic break, closed fence).
   */
  type State = 'none' | 'para' | 'list' | 'code' | 'fence' | 'other';
  let state: State = 'none';
  let prevBlank = true;
  let fence: { ch: string; len: number } | undefined;
  let itemIndent = 0;
  let itemPara = false;
  /** The item's last block is indented code, which stays open over blank lines. */
  let itemCode = false;
  /** The item has no content yet: a blank line then closes it. */
  let itemEmpty = false;
  let done = false;
  const seam = (offset: number): void => {
    if (offset > (seams[seams.length - 1] as number)) {
      seams.push(offset);
      if (converged?.(offset)) done = true;
    }
  };
  /** Whether nested content is plain text, which a paragraph line is. */
  const nested = (content: string): boolean => {
    let i = 0;
    while (i < content.length && (content.charCodeAt(i) === 32 || content.charCodeAt(i) === 9)) i++;
    if (i === content.length) return false;
    const c = content.charCodeAt(i);
    // Only these can start a heading or a rule; anything else is paragraph text.
    if (c !== 35 && c !== 45 && c !== 42 && c !== 95) return true;
    return !HEADING.test(content.slice(i)) && !THEMATIC.test(content.trim());
  };
  while (at < n && !done) {
    let end = at;
    while (end < n) {
      const c = text.charCodeAt(end);
      if (c === 10 || c === 13) break;
      end++;
    }
    const next = end < n ? end + (text.charCodeAt(end) === 13 && text.charCodeAt(end + 1) === 10 ? 2 : 1) : n;
    const line = text.slice(at, end);
    const lineStart = at;
    at = next;
    const blank = /^[ \t]*$/.test(line);
    if (state === 'fence') {
      if (fence && fenceCloses(line, fence)) {
        state = 'other';
        prevBlank = false;
      }
      continue;
    }
    if (blank) {
      prevBlank = true;
      if (state === 'list') {
        itemPara = false;
        if (itemEmpty) state = 'none';
      }
      continue;
    }
    const ind = indentOf(line);
    if (ind > 0 && state === 'list' && ind >= itemIndent) {
      // Content of the open list item; a line at the margin ends it and all it holds.
      const m = CONTAINER_PREFIX.exec(line);
      const content = m ? line.slice(m[0].length) : line.slice(Math.min(line.length, itemIndent));
      // Four more spaces start indented code, unless they continue the item's paragraph.
      const code: boolean = indentOf(content) >= 4 && (prevBlank || !itemPara);
      itemCode = code || (itemCode && indentOf(content) >= 4);
      itemPara = code ? false : nested(content);
      itemEmpty = false;
      prevBlank = false;
      continue;
    }
    if (ind > 0) {
      const m = ind <= 3 ? CONTAINER_PREFIX.exec(line) : null;
      if (m) {
        // An indented list item or quote at the top level: not a seam; read as a paragraph,
        // the stricter case for what may follow.
        state = 'para';
        prevBlank = false;
        continue;
      }
      if (ind <= 3) {
        const f = fenceOpen(line);
        if (f) {
          state = 'fence';
          fence = f;
          continue;
        }
        const t = line.trim();
        // An indented heading or rule closes whatever is open, like one at the margin.
        if (HEADING.test(t) || THEMATIC.test(t) || (state === 'para' && !prevBlank && SETEXT.test(t))) {
          state = 'other';
          prevBlank = false;
          continue;
        }
      }
      if (state === 'list') {
        // Less indented than the item: lazy text if the item has an open paragraph.
        if (!itemPara || prevBlank) state = ind >= 4 && prevBlank ? 'code' : 'para';
      } else if (prevBlank || state === 'none' || state === 'other') state = ind >= 4 ? 'code' : 'para';
      prevBlank = false;
      continue;
    }
    // A line at the left margin.
    const f = fenceOpen(line);
    if (f) {
      state = 'fence';
      fence = f;
      prevBlank = false;
      continue;
    }
    if (HEADING.test(line)) {
      seam(lineStart);
      state = 'other';
      prevBlank = false;
      continue;
    }
    // A rule, or the underline that makes the paragraph above a heading.
    if (THEMATIC.test(line) || (state === 'para' && !prevBlank && SETEXT.test(line))) {
      state = 'other';
      prevBlank = false;
      continue;
    }
    const bullet = BULLET.exec(line);
    const ordered = bullet ? null : ORDERED.exec(line);
    if (bullet || ordered) {
      const markerLength = bullet ? 1 : (ordered as RegExpExecArray)[0].replace(/[ \t]$/, '').length;
      const content = line.slice(markerLength);
      const hasContent = content.trim() !== '';
      // Only these can interrupt a paragraph; anything else continues it.
      const interrupts = hasContent && (bullet !== null || Number((ordered as RegExpExecArray)[1]) === 1);
      // After any open block but a list item (not only a paragraph) the parser lets no
      // other marker start a list; indented code stays open over blank lines.
      const codeOpen = state === 'code' || (state === 'list' && itemCode);
      if ((state !== 'list' || itemCode) && state !== 'none' && (!prevBlank || codeOpen) && !interrupts) {
        state = 'para';
        prevBlank = false;
        continue;
      }
      // `- 10. 甲` right after text: whether the inner list may start depends on what the
      // line interrupts, which a piece starting here would not know.
      if (prevBlank || !/^[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)/.test(content)) seam(lineStart);
      state = 'list';
      itemIndent = contentIndent(line, markerLength);
      const m = CONTAINER_PREFIX.exec(content);
      // Five or more spaces after the marker make the item's content indented code.
      itemPara = indentOf(content) < 5 && nested(m ? content.slice(m[0].length) : content.replace(/^[ \t]+/, ''));
      itemCode = hasContent && indentOf(content) >= 5;
      itemEmpty = !hasContent;
      prevBlank = false;
      continue;
    }
    // Other text at the margin: lazy text of the open item's paragraph, or a new paragraph
    // (or quote, table) at the top level.
    // A quote at the margin is never lazy text: it closes the item and starts a block of its own.
    if (!(state === 'list' && itemPara && !prevBlank) || line.startsWith('>')) state = 'para';
    prevBlank = false;
  }
}

/** A parsed piece, cached by its text. Its positions count from the piece's start. */
interface CachedPiece {
  root: Root;
}

/**
 * A document parsed in pieces. Each piece's tree keeps the positions it was parsed with,
 * counted from the piece's start, so an edit moves no position of any other piece: `bases`
 * gives the offset to add for each top-level node (and for each item of a list joined from
 * several pieces); a node not in it counts from its nearest ancestor's base.
 */
export interface PieceTree {
  root: Root;
  bases: WeakMap<object, number>;
}

/**
 * Parses text piece by piece (reusing `cache`, keyed by piece text) and joins the pieces
 * into one tree, merging lists that a parse of the whole would have made one.
 */
export function parseInPieces(text: string, cache?: PieceCache): PieceTree {
  const bases = new WeakMap<object, number>();
  // The last version's groups, taken now: whatever happens below (a single piece, a parse that
  // throws), they are never matched against a later version they do not belong to.
  const before = cache?.groups;
  if (cache) cache.groups = undefined;
  const pieces = groupPieces(text, splitPieces(text, cache));
  if (pieces.length === 1) return { root: parseMarkdown(text), bases };
  const children: RootContent[] = [];
  const used = new Map<string, CachedPiece>();
  // Lists made here by joining pieces' lists; these may grow in place (the pieces' own may not).
  const joined = new Set<List>();
  const change = cache?.change;
  const groups = new Map<number, { end: number; key: string }>();
  for (const p of pieces) {
    // A group wholly before or after the change is the group of the last version there: its
    // text is known without reading (and hashing) it again.
    let key: string | undefined;
    if (change && before) {
      const was = p.end <= change.p ? p.start : p.start >= text.length - change.q ? p.start - change.delta : -1;
      const g = was >= 0 ? before.get(was) : undefined;
      if (g && g.end === p.end - (p.start - was)) key = g.key;
    }
    const src = key ?? text.slice(p.start, p.end);
    let entry = cache?.pieces.get(src);
    if (entry && used.has(src)) entry = undefined; // the same text twice: each needs its own tree
    key = src;
    if (!entry) {
      // Kept across edits: its own copy, or it would keep this whole version of the text alive.
      if (cache) key = detach(src);
      entry = { root: parseMarkdown(key) };
    }
    used.set(key, entry);
    groups.set(p.start, { end: p.end, key });
    for (const c of entry.root.children) {
      const last = children[children.length - 1];
      if (c.type === 'list' && last?.type === 'list' && sameList(text, bases, last, c, p.start)) {
        let into = last;
        if (!joined.has(last)) {
          into = copyList(last, bases.get(last) ?? 0, bases);
          joined.add(into);
          bases.set(into, 0);
          children[children.length - 1] = into;
        }
        joinList(text, into, c, p.start, bases);
      } else {
        bases.set(c, p.start);
        children.push(c);
      }
    }
  }
  if (cache) {
    cache.pieces = used;
    cache.groups = groups;
  }
  return { root: { type: 'root', children, position: { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: text.length } } }, bases };
}

/** What an editor keeps of a document between its versions. */
export class PieceCache {
  /** Parsed pieces by their text. */
  pieces = new Map<string, CachedPiece>();
  /** The last version's split. */
  last?: SplitMemo;
  /** How this version differs from the last (set by the split). */
  change?: TextChange;
  /** The last version's groups, by start: their end and their text (a key of `pieces`). */
  groups?: Map<number, { end: number; key: string }>;
  /** The last whole text the model read (with its BOM), its line index and deep-nesting finding. */
  read?: { text: string; lines: import('./text.ts').LineIndex; deep: number };
  /**
   * What the model made of each list item of a cached piece (model.ts), with the item's
   * offset then: an unchanged item is not read again, only moved.
   */
  readonly tasks = new WeakMap<object, CachedItem>();
}

/**
 * See PieceCache.tasks. The task is the one the last model holds; a new model takes it over,
 * moved to where the item is now (`at`).
 */
export interface CachedItem {
  at: number;
  ordered: boolean;
  task: import('./model.ts').Task;
  /** How many fields and how far the item's own text reach (field items under it add to both). */
  ownFields: number;
  ownEnd: number;
  /** The fields of an item that is only field lines, offsets from the item's start (null: it is not). */
  fieldItem?: import('./model.ts').FieldOccurrence[] | null;
}

/**
 * Each parse costs a fixed setup, and the parser slows down more than linearly on long
 * lists: groups of up to 64 pieces or 16 KB balance the two.
 */
const GROUP_MAX = 16 * 1024;
const GROUP_MAX_PIECES = 64;

/**
 * Groups consecutive pieces into what is parsed at once. A group ends before a piece whose
 * first line hashes to one of eight values (the hash's top bits: its low bits see only the
 * low bits of each character): boundaries that depend on the text around them only, so an
 * edit changes its own group and the rest stay cached. Headings get no boundary of their
 * own: a parse costs a fixed setup (combining the syntax extensions), and a document of
 * many short categories would pay it once per heading.
 * A group that grows past GROUP_MAX or GROUP_MAX_PIECES ends at its next seam.
 */
export function groupPieces(text: string, pieces: Piece[]): Piece[] {
  if (pieces.length < 2) return pieces;
  const out: Piece[] = [];
  let current = { ...(pieces[0] as Piece) };
  let count = 1;
  for (let i = 1; i < pieces.length; i++) {
    const p = pieces[i] as Piece;
    const boundary = lineHash(text, p.start) >>> 29 === 0 || p.start - current.start >= GROUP_MAX || count >= GROUP_MAX_PIECES;
    if (boundary) {
      out.push(current);
      current = { ...p };
      count = 1;
    } else {
      current.end = p.end;
      count++;
    }
  }
  out.push(current);
  return out;
}

function lineHash(text: string, at: number): number {
  let h = 0x811c9dc5;
  for (let i = at; i < text.length && i < at + 64; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) break;
    h = Math.imul(h ^ c, 0x01000193);
  }
  return h >>> 0;
}

function marker(text: string, list: List, base: number): string {
  const item = list.children[0];
  const at = (item?.position?.start.offset ?? 0) + base;
  const m = /^(?:[-*+]|\d{1,9}([.)]))/.exec(text.slice(at, at + 11));
  if (!m) return '';
  return m[1] ?? m[0];
}

/** Whether list b (parsed at `bBase`) continues list a, as one list in a parse of the whole. */
function sameList(text: string, bases: WeakMap<object, number>, a: List, b: List, bBase: number): boolean {
  const first = a.children[0];
  const aBase = (first && bases.get(first)) ?? bases.get(a) ?? 0;
  return !!a.ordered === !!b.ordered && marker(text, a, aBase) === marker(text, b, bBase);
}

/** A list of its own to join others into, with absolute positions; its items keep their base. */
function copyList(a: List, base: number, bases: WeakMap<object, number>): List {
  const pos = a.position as NonNullable<List['position']>;
  for (const item of a.children) bases.set(item, base);
  return {
    ...a,
    children: [...a.children],
    position: { start: { ...pos.start, offset: (pos.start.offset ?? 0) + base }, end: { ...pos.end, offset: (pos.end.offset ?? 0) + base } },
  };
}

/** Appends list b (parsed at `base`) to the joined list a, as a parse of the whole would have made them one. */
function joinList(text: string, a: List, b: List, base: number, bases: WeakMap<object, number>): void {
  const bPos = b.position as NonNullable<List['position']>;
  // A blank line between two items makes the whole list loose.
  const between = text.slice(a.position?.end.offset ?? 0, (bPos.start.offset ?? 0) + base);
  const blankBetween = /(?:\r\n|\r(?!\n)|\n)[ \t]*(?:\r\n|\r|\n)/.test(between);
  a.spread = !!a.spread || !!b.spread || blankBetween;
  for (const item of b.children) {
    bases.set(item, base);
    a.children.push(item);
  }
  (a.position as NonNullable<List['position']>).end = { ...bPos.end, offset: (bPos.end.offset ?? 0) + base };
}

/**
 * Walks a tree in document order with each node's absolute start and end; `visit` returns
 * false to skip a node's children. An explicit stack: trees may be deep.
 */
export function walkTree(
  root: Root,
  bases: WeakMap<object, number>,
  shift: number,
  visit: (node: { type: string; children?: unknown[] }, start: number, end: number) => boolean | void,
): void {
  type N = { type: string; position?: { start: { offset?: number }; end: { offset?: number } }; children?: N[] };
  const stack: { node: N; base: number }[] = [];
  for (let i = root.children.length - 1; i >= 0; i--) stack.push({ node: root.children[i] as N, base: 0 });
  while (stack.length) {
    const { node, base: inherited } = stack.pop() as { node: N; base: number };
    const base = bases.get(node) ?? inherited;
    const start = (node.position?.start.offset ?? 0) + base + shift;
    const end = (node.position?.end.offset ?? 0) + base + shift;
    if (visit(node, start, end) === false || !node.children) continue;
    for (let i = node.children.length - 1; i >= 0; i--) stack.push({ node: node.children[i] as N, base });
  }
}

