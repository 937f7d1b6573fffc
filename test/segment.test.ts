import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import { parseInPieces, splitPieces, PieceCache, type PieceTree } from '../server/src/engine/segment.ts';

type Plain = { [k: string]: unknown };

/** A copy of a tree with every offset absolute, and without line numbers (pieces count lines from their start). */
function absolute(node: unknown, bases: WeakMap<object, number>, base = 0): unknown {
  if (Array.isArray(node)) return node.map((n) => absolute(n, bases, base));
  if (!node || typeof node !== 'object') return node;
  const own = bases.get(node) ?? base;
  const out: Plain = {};
  for (const [k, v] of Object.entries(node as Plain)) {
    if (k === 'position' && v) {
      const p = v as { start: Plain; end: Plain };
      out[k] = { start: { column: p.start['column'], offset: (p.start['offset'] as number) + own }, end: { column: p.end['column'], offset: (p.end['offset'] as number) + own } };
    } else out[k] = absolute(v, bases, own);
  }
  return out;
}

/** The reference: the whole text through remark with GFM, as any other tool would read it. */
const reference = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm).freeze();

function whole(text: string): unknown {
  const root = reference.parse(text);
  return absolute({ ...root, position: undefined }, new WeakMap());
}

function pieces(tree: PieceTree): unknown {
  return absolute({ ...tree.root, position: undefined }, tree.bases);
}

/** Lines of the kinds that decide where a document may be split. */
const LINE = fc.constantFrom(
  '',
  '',
  '# 标题',
  '## 一、类别',
  '### （一）子类',
  '1. 任务一。',
  '2. 任务二。（牵头单位：财政局）',
  '10. 第十条',
  '1) 括号式',
  '- 牵头单位：财政局',
  '* 星号项',
  '+ 加号项',
  '-',
  '2.',
  '- [ ] 待办',
  '   - 完成时限：12月底前',
  '   举措文字',
  '  缩进两格',
  '    缩进四格的代码',
  '        更深的缩进',
  '\t制表符缩进',
  '段落文字',
  '> 引用',
  '> - 引用里的列表',
  '```',
  '```js',
  '~~~',
  '   ```',
  '    ```',
  '<div>',
  '</div>',
  '<!-- 注释',
  '-->',
  '<script>',
  '</script>',
  '---',
  '- - -',
  '***',
  '===',
  '| 甲 | 乙 |',
  '| --- | --- |',
  '| 1 | 2 |',
  '<?php',
  '?>',
  '1. > 引用的任务',
  '   ```',
  '10. 长编号',
  '    - 子项',
  '网址 www.example.com 见',
  '邮箱 ban@example.cn',
  '~~删去~~ 与 ~单~',
  'http://example.com/a 和 HTTPS://EXAMPLE.COM',
  '- [x] 已办',
  '脚注[^1]',
  '[^1]: 脚注内容',
);

const EOL = fc.constantFrom('\n', '\n', '\r\n', '\r');

const documents = fc
  .tuple(fc.array(fc.tuple(LINE, EOL), { maxLength: 40 }), fc.boolean())
  .map(([lines, front]) => (front ? '---\n标题: 表\n必填:\n- 牵头单位\n---\n' : '') + lines.map(([l, e]) => l + e).join(''));

test('a document parsed piece by piece gives the same tree as parsed whole', () => {
  fc.assert(
    fc.property(documents, (text) => {
      assert.deepEqual(pieces(parseInPieces(text)), whole(text));
    }),
    { seed: 7, numRuns: 3000 },
  );
});

test('pieces reused from the cache give the same tree, edit after edit', () => {
  const edit = fc.tuple(fc.nat(), fc.nat({ max: 12 }), fc.constantFrom('', 'x', '\n', '\n\n', '- ', '1. ', '## ', '```\n', '<div>\n', '[a]: b\n', '---\n'));
  fc.assert(
    fc.property(documents, fc.array(edit, { minLength: 1, maxLength: 6 }), (text, edits) => {
      const cache = new PieceCache();
      parseInPieces(text, cache);
      for (const [at, removed, insert] of edits) {
        const pos = at % (text.length + 1);
        text = text.slice(0, pos) + insert + text.slice(Math.min(text.length, pos + removed));
        assert.deepEqual(pieces(parseInPieces(text, cache)), whole(text));
      }
    }),
    { seed: 11, numRuns: 1500 },
  );
});

test('splitting from the previous version gives the split of the whole text, edit after edit', () => {
  const edit = fc.tuple(fc.nat(), fc.nat({ max: 12 }), fc.constantFrom('', 'x', '\n', '\r\n', '\n\n', '- ', '1. ', '## ', '```\n', '   ', '---\n', '牵头单位：甲\n', '<div>\n', '[a]: b\n'));
  fc.assert(
    fc.property(documents, fc.array(edit, { minLength: 1, maxLength: 8 }), (text, edits) => {
      const memo: { last?: import('../server/src/engine/segment.ts').SplitMemo } = {};
      splitPieces(text, memo);
      for (const [at, removed, insert] of edits) {
        const pos = text.length ? at % (text.length + 1) : 0;
        text = text.slice(0, pos) + insert + text.slice(Math.min(text.length, pos + removed));
        assert.deepEqual(splitPieces(text, memo), splitPieces(text));
      }
    }),
    { seed: 13, numRuns: 3000 },
  );
});

test('groups of a version before the last are never reused', () => {
  // Split in groups, then read as one piece, then split again: the first version's groups must
  // not be taken for the second's.
  const cache = new PieceCache();
  for (const text of ['- 甲\n- 甲\n# H\n- z\n', '- 甲\n- 乙\n- 戌\n', '- 甲\n- 乙\n- 戌戌\n']) {
    assert.deepEqual(pieces(parseInPieces(text, cache)), whole(text));
  }
});

test('tasks and headings are seams; fences, HTML, front matter and lazy lines are not', () => {
  const starts = (t: string): string[] => splitPieces(t).map((p) => t.slice(p.start, p.end).split('\n')[0] as string);
  assert.deepEqual(starts('# 表\n\n## 一、甲\n\n1. 任务\n   - 牵头单位：甲\n2. 任务\n\n## 二、乙\n- 任务\n'), ['# 表', '## 一、甲', '1. 任务', '2. 任务', '## 二、乙', '- 任务']);
  assert.deepEqual(starts('```\n# 代码\n- 代码\n```\n- 任务\n'), ['```', '- 任务']);
  assert.deepEqual(starts('<div>\n# 不是标题\n</div>\n\n# 标题\n'), ['<div>']);
  assert.deepEqual(starts('- 甲\n  ```\n- 乙\n'), ['- 甲']);
  assert.deepEqual(starts('---\n必填:\n- 牵头单位\n---\n- 任务\n'), ['---', '- 任务']);
  assert.deepEqual(starts('段落\n2. 接着段落\n'), ['段落']);
  assert.deepEqual(starts('[链接]: http://example.com\n# 甲\n# 乙\n'), ['[链接]: http://example.com']);
});

test('a long list is parsed item by item', () => {
  const text = '- 任务）\n'.repeat(5000);
  assert.equal(splitPieces(text).length, 5000);
  const { root } = parseInPieces(text);
  assert.equal(root.children.length, 1);
  assert.equal((root.children[0] as { children: unknown[] }).children.length, 5000);
});
