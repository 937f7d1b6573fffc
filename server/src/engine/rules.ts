import type { DocumentModel } from './model.ts';
import { walkTree } from './segment.ts';
import type { Rule, RuleContext } from './rules/rule.ts';

/**
 * Half-width punctuation between Chinese characters. It stays here, with its helpers, until
 * it moves to rules/halfwidth-punctuation.ts with the other 公文 text rules; the registry
 * (rules/index.ts) lists it as it lists the others.
 */
export const halfwidthPunctuation: Rule = {
  code: 'halfwidth-punctuation',
  severity: 'warning',
  description: '中文之间使用了半角标点 , ; : ( )',
  fix: 'safe',
  fixNote: '改为全角',
  fixMakesFields: true,
  examples: {
    ok: [
      { text: '1. 编制完善权责清单，按季度更新。（牵头单位：市财政局，完成时限：12月底前）\n' },
      { text: '1. 在 `甲,乙` 这样的行内代码中不检查。（牵头单位：市财政局，完成时限：12月底前）\n' },
    ],
    notOk: [
      {
        text: '1. 编制完善权责清单,按季度更新。（牵头单位:市财政局，完成时限：12月底前）\n',
        fixed: '1. 编制完善权责清单，按季度更新。（牵头单位：市财政局，完成时限：12月底前）\n',
      },
    ],
  },
  check(ctx) {
    checkHalfwidth(ctx);
  },
};

const FULLWIDTH: Record<string, string> = { ',': '，', ';': '；', ':': '：', '(': '（', ')': '）' };

function isHan(c: number): boolean {
  return (c >= 0x3400 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xd840 && c <= 0xd87f); // high surrogates of the CJK extension planes
}

function isCjkPunct(c: number): boolean {
  return (c >= 0x3000 && c <= 0x303f) || (c >= 0xff00 && c <= 0xffef) || c === 0x201c || c === 0x201d;
}

function checkHalfwidth(ctx: RuleContext): void {
  const text = ctx.model.text;
  // Code and the like are looked up only once a candidate is found: most documents have none.
  let skip: [number, number][] | undefined;
  let si = 0;
  const re = /[,;:()]/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const at = m.index;
    const ch = m[0];
    const prev = text.charCodeAt(at - 1);
    // A low surrogate before: look at its high surrogate for the extension planes.
    const prevIsHan = isHan(prev) || (prev >= 0xdc00 && prev <= 0xdfff && isHan(text.charCodeAt(at - 2)));
    const next = text.charCodeAt(at + 1);
    const nextIsHan = isHan(next);
    let flag: boolean;
    if (ch === '(') flag = nextIsHan && (prevIsHan || isCjkPunct(prev) || Number.isNaN(prev) || prev === 10);
    else if (ch === ')') flag = prevIsHan && (nextIsHan || isCjkPunct(next) || Number.isNaN(next) || next === 10 || next === 13);
    else flag = prevIsHan && nextIsHan;
    if (!flag) continue;
    skip ??= skippedSpans(ctx.model);
    while (si < skip.length && (skip[si] as [number, number])[1] <= at) si++;
    const span = skip[si];
    if (span && span[0] <= at) continue;
    const full = FULLWIDTH[ch] as string;
    ctx.report({
      code: 'halfwidth-punctuation',
      start: at,
      end: at + 1,
      message: `中文之间使用了半角标点“${ch}”，应为全角“${full}”。`,
      fixes: [{ title: `改为全角“${full}”`, edits: [ctx.edit(at, at + 1, full)], preferred: true }],
    });
  }
}

/** Code, HTML, front matter and inline code are not prose: punctuation there is left alone. */
function skippedSpans(model: DocumentModel): [number, number][] {
  const out: [number, number][] = [];
  const skipped = new Set(['code', 'html', 'yaml', 'inlineCode', 'link', 'definition', 'image']);
  walkTree(model.root, model.bases, model.shift, (node, start, end) => {
    if (!skipped.has(node.type)) return true;
    out.push([start, end]);
    return false;
  });
  return out.sort((a, b) => a[0] - b[0]);
}
