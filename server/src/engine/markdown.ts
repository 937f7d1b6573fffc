import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import type { Root } from 'mdast';

const processor = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm).freeze();

/** CommonMark + GFM + YAML front matter into mdast: the one parser every feature shares. */
export function parseMarkdown(text: string): Root {
  return processor.parse(text);
}
