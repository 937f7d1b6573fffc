import type { Position, Range } from './types.ts';

/** Maps UTF-16 offsets of a text to LSP positions and back, with a table of line starts. */
export class LineIndex {
  /** Offset of the first character of each line. */
  readonly starts: number[];

  /** `starts` when already known (see edited). */
  constructor(
    readonly text: string,
    starts?: number[],
  ) {
    if (starts) {
      this.starts = starts;
      return;
    }
    starts = [0];
    // \r\n, \r and \n all end a line, as in CommonMark and LSP.
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.starts = starts;
  }

  /**
   * The index of `text`, a new version of `prev.text` that shares its first `p` and last `q`
   * characters: line starts before the change are kept, those after it moved, and only the
   * changed stretch is read.
   */
  static edited(prev: LineIndex, text: string, p: number, q: number): LineIndex {
    const old = prev.text;
    const d = text.length - old.length;
    const was = prev.starts;
    const starts = [0];
    let k = 1;
    // A start s depends on the characters at s - 1 and s.
    while (k < was.length && (was[k] as number) < p) starts.push(was[k++] as number);
    const end = text.length - q;
    for (let i = Math.max(0, p - 1); i < end; i++) {
      const c = text.charCodeAt(i);
      if ((c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) && i + 1 >= p) starts.push(i + 1);
    }
    const tail = old.length - q;
    for (; k < was.length; k++) {
      const s = was[k] as number;
      if (s - 1 >= tail && s + d > (starts[starts.length - 1] as number)) starts.push(s + d);
    }
    return new LineIndex(text, starts);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] as number) <= o) lo = mid;
      else hi = mid - 1;
    }
    // An offset on the LF of a CRLF is still the end of its line.
    return { line: lo, character: Math.min(o, this.lineEnd(lo)) - (this.starts[lo] as number) };
  }

  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(end) };
  }

  offset(pos: Position): number {
    if (pos.line < 0) return 0;
    if (pos.line >= this.starts.length) return this.text.length;
    const start = this.starts[pos.line] as number;
    const end = this.lineEnd(pos.line);
    return Math.min(start + Math.max(0, pos.character), end);
  }

  /** Offset just past the last character of a line, before its line break. */
  lineEnd(line: number): number {
    const next = this.starts[line + 1];
    if (next === undefined) return this.text.length;
    let e = next - 1;
    if (this.text.charCodeAt(e) === 10 && this.text.charCodeAt(e - 1) === 13) e--;
    return e;
  }

  lineText(line: number): string {
    return this.text.slice(this.starts[line] ?? this.text.length, this.lineEnd(line));
  }
}

/** Applies non-overlapping edits (overlapping ones after the first are skipped). */
export function applyEdits(text: string, edits: { range: Range; newText: string }[]): string {
  const index = new LineIndex(text);
  return applySpans(
    text,
    edits.map((e) => ({ start: index.offset(e.range.start), end: index.offset(e.range.end), newText: e.newText })),
  );
}

/** The same with offsets: each span's text replaces start..end. */
export function applySpans(text: string, edits: { start: number; end: number; newText: string }[]): string {
  const spans = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let at = 0;
  for (const s of spans) {
    if (s.start < at) continue;
    out += text.slice(at, s.start) + s.newText;
    at = s.end;
  }
  return out + text.slice(at);
}

/**
 * A copy of a string that holds no reference to the string it was cut from. V8 keeps a
 * slice pointing into its parent, so a short key kept in a cache would keep the whole
 * document of that version alive; what a cache keeps must be copied.
 */
export function detach(s: string): string {
  return s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string);
}
