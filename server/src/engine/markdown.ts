import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import type { Node, Root } from 'mdast';

/*
 * micromark, at every `]` that may close a link, reads the whole text back to the `[` that
 * opens it to see whether it names a definition (label-end.js: `defined =
 * parser.defined.includes(normalizeIdentifier(sliceSerialize({start: labelStart.end, …})))`).
 * On nested brackets (`[[[…]]]`, each `]` balancing a `[` further back) that is quadratic:
 * `'[['.repeat(20000)+']]'.repeat(20000)` took 17 s. Where the answer is known without
 * reading, this construct, tried just before micromark's own at each `]`, arms the tokenizer
 * so that micromark's read of that one label returns '' at once (which names no
 * definition, as the read text would not have):
 * - the document has no link reference definitions at all (the answer is exactly the same);
 * - the label is longer than a label may be (CommonMark: 999 characters; 2,000 code units
 *   leave room for surrogate pairs), so no definition can name it.
 * Everything else micromark does at the `]` (resources, full and collapsed references,
 * footnotes) is left to it, so the tree is the one it would have made.
 */

/** Longer than any link label (999 characters, each at most two UTF-16 code units). */
const LABEL_SPAN_MAX = 2000;

interface Point {
  offset: number;
}
interface LabelStart {
  end: Point;
  _balanced?: boolean;
  _inactive?: boolean;
}
interface Context {
  _labelStarts?: LabelStart[];
  parser: { defined: string[] };
  now(): Point;
  sliceSerialize(token: { start: Point; end: Point }, expandTabs?: boolean): string;
}
type State = (code: number | null) => State | undefined;

/** The label start whose read the next sliceSerialize call of a tokenizer may skip. */
const armed = new WeakMap<Context, Point>();
/** Tokenizers whose sliceSerialize has been wrapped. */
const wrapped = new WeakSet<Context>();

function tokenizeLabelEndGuard(this: Context, _effects: unknown, _ok: State, nok: State): State {
  armed.delete(this);
  const starts = this._labelStarts;
  // The label start micromark's labelEnd will take: the last one not yet balanced.
  let start: LabelStart | undefined;
  for (let i = (starts?.length ?? 0) - 1; i >= 0; i--) {
    const s = (starts as LabelStart[])[i] as LabelStart;
    if (!s._balanced) {
      start = s;
      break;
    }
  }
  // An inactive start is refused before any read.
  if (start && !start._inactive && (this.parser.defined.length === 0 || this.now().offset - start.end.offset > LABEL_SPAN_MAX)) {
    if (!wrapped.has(this)) {
      wrapped.add(this);
      const read = this.sliceSerialize;
      this.sliceSerialize = function (this: Context, token, expandTabs) {
        const at = armed.get(this);
        if (at !== undefined && token.start === at) {
          armed.delete(this);
          return '';
        }
        return read.call(this, token, expandTabs);
      };
    }
    armed.set(this, start.end);
  }
  // Never a construct of its own: micromark's labelEnd reads the `]` next.
  return nok;
}

const labelEndGuard = { name: 'fenjieLabelEndGuard', tokenize: tokenizeLabelEndGuard };

/*
 * A `]` that closed no link is then offered to GFM's footnote call (`![^1]`), which walks the
 * tokenizer's events back to the nearest label start: past every `]` before it, quadratic on
 * `[[[…]]]` again. It can only succeed for a `![` whose label names a footnote definition:
 * where the document has none, or the nearest label start is further back than a label may
 * be long, this construct (between micromark's labelEnd and GFM's call) takes the `]` as the
 * plain text it would have become.
 */
interface Effects {
  enter(type: string): void;
  consume(code: number | null): void;
  exit(type: string): void;
}
interface TokenEvent {
  1: { type: string; start: Point; end: Point };
}
const LABEL_TOKENS = new Set(['labelImage', 'gfmFootnoteCall', 'labelLink', 'label', 'image', 'link']);

function tokenizeNoFootnoteCall(this: Context & { events: TokenEvent[]; parser: { gfmFootnotes?: string[] } }, effects: Effects, ok: State, nok: State): State {
  const take: State = (code) => {
    effects.enter('data');
    effects.consume(code);
    effects.exit('data');
    return ok;
  };
  if (!this.parser.gfmFootnotes?.length) return take;
  const from = this.now().offset - LABEL_SPAN_MAX;
  for (let i = this.events.length - 1; i >= 0; i--) {
    const token = (this.events[i] as TokenEvent)[1];
    if (LABEL_TOKENS.has(token.type)) return token.type === 'labelImage' ? nok : take;
    if (token.end.offset < from) return take;
  }
  return take;
}

const noFootnoteCall = { name: 'fenjieNoFootnoteCall', add: 'after', tokenize: tokenizeNoFootnoteCall };

/** A micromark extension: the two constructs above, at `]`. Used before remark-gfm, so that the second comes before GFM's. */
function remarkLabelEndGuard(this: { data(): unknown }): void {
  const data = this.data() as Record<string, unknown[]>;
  (data['micromarkExtensions'] ??= []).push({ text: { 93: [labelEndGuard, noFootnoteCall] } });
}

/*
 * Inside one paragraph, several of micromark's inline constructs read ahead to the end of the
 * paragraph at each opener that is never closed: a title after `](`, a destination after
 * `](<`, a code span after a backtick run, an HTML comment after `<!--`; and its emphasis
 * resolver looks back over every unmatched opener at each closer. A paragraph of n such
 * characters costs n² (25,000 characters of `[ (](` took 3.7 s, 100,000 took 58 s). Bounding
 * the input beforehand would change what it means, so instead a text in which some paragraph
 * holds too many of them for its length is parsed with these constructs off: its inline
 * markup stays literal text (a breakdown's fields are read from the lines themselves, bold
 * field names included, and read the same), and block structure (headings, lists, quotes,
 * tables) is read as always.
 */
const INLINE_MARKS = new Set([42, 95, 91, 93, 96, 60, 126]); // * _ [ ] ` < ~
/**
 * A paragraph with marks × length above this is parsed literally. Real paragraphs stay well
 * below it (a 500-character task with three bold field names has 12 marks: 6,000); at the
 * bound a paragraph costs a few milliseconds, so any text is parsed in time linear in its size.
 */
export const INLINE_MARK_BUDGET = 20_000;
const LITERAL_INLINE = ['attention', 'labelStartImage', 'labelStartLink', 'labelEnd', 'codeText', 'htmlText', 'autolink', 'strikethrough', 'gfmFootnoteCall', 'gfmPotentialFootnoteCall'];

function marksIn(text: string, start: number, end: number): number {
  let marks = 0;
  for (let i = start; i < end; i++) if (INLINE_MARKS.has(text.charCodeAt(i))) marks++;
  return marks;
}

/**
 * Whether some run of non-blank lines holds more marks than its length allows: one pass, a
 * cheap first look. A paragraph never spans a blank line, so a text that passes has no heavy
 * paragraph; one that fails is looked at paragraph by paragraph (heavyParagraph).
 */
function heavyRun(text: string): boolean {
  let marks = 0;
  let start = 0;
  let blank = true;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 10;
    if (c === 10 || c === 13) {
      if (blank) {
        marks = 0;
        start = i + 1;
      } else if (marks * (i - start) > INLINE_MARK_BUDGET) return true;
      blank = true;
      continue;
    }
    if (c !== 32 && c !== 9) blank = false;
    if (INLINE_MARKS.has(c)) marks++;
  }
  return false;
}

/** Whether a paragraph, heading or table cell of the (literally parsed) tree holds too many marks for its length. */
function heavyParagraph(tree: Root, text: string): boolean {
  const stack: Node[] = [tree];
  while (stack.length) {
    const node = stack.pop() as Node & { children?: Node[] };
    if (node.type === 'paragraph' || node.type === 'heading' || node.type === 'tableCell') {
      const start = node.position?.start.offset ?? 0;
      const end = node.position?.end.offset ?? 0;
      if (marksIn(text, start, end) * (end - start) > INLINE_MARK_BUDGET) return true;
    } else if (node.children) stack.push(...node.children);
  }
  return false;
}

function remarkLiteralInline(this: { data(): unknown }): void {
  const data = this.data() as Record<string, unknown[]>;
  (data['micromarkExtensions'] ??= []).push({ disable: { null: LITERAL_INLINE } });
}

const processor = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkLabelEndGuard).use(remarkGfm).freeze();
const plain = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkLabelEndGuard).freeze();
const literal = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm).use(remarkLiteralInline).freeze();

/**
 * What any GFM construct needs in the text: a table's `|`, strikethrough's `~`, a task list
 * item's or a footnote's `[`, an e-mail autolink's `@`, a `www.` or `http(s)://` autolink.
 * A text without any of them parses the same with GFM and without it, and twice as fast
 * without (GFM tries its autolinks at every ASCII letter and digit).
 */
const GFM_TRIGGER = /[|~[@]|www\.|https?:\/\//i;

/** CommonMark + GFM + YAML front matter into mdast: the one parser every feature shares. */
export function parseMarkdown(text: string): Root {
  if (heavyRun(text)) {
    const tree = literal.parse(text);
    if (heavyParagraph(tree, text)) return tree;
  }
  return (GFM_TRIGGER.test(text) ? processor : plain).parse(text);
}
