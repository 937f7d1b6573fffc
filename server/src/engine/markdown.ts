import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import type { Root } from 'mdast';

const processor = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm).freeze();
const plain = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).freeze();

/**
 * What any GFM construct needs in the text: a table's `|`, strikethrough's `~`, a task list
 * item's or a footnote's `[`, an e-mail autolink's `@`, a `www.` or `http(s)://` autolink.
 * A text without any of them parses the same with GFM and without it, and twice as fast
 * without (GFM tries its autolinks at every ASCII letter and digit).
 */
const GFM_TRIGGER = /[|~[@]|www\.|https?:\/\//i;

/** CommonMark + GFM + YAML front matter into mdast: the one parser every feature shares. */
export function parseMarkdown(text: string): Root {
  return (GFM_TRIGGER.test(text) ? processor : plain).parse(text);
}
