import type { Fix } from '../types.ts';
import { eachTask, quote } from './common.ts';
import type { Rule } from './rule.ts';

const DIRECTORY = '单位:\n  - 名称: 市财政局\n    简称: [财政局]\n  - 名称: 市教育局\n泛称: [各区县政府]\n';

export const unknownUnit: Rule = {
  code: 'unknown-unit',
  severity: 'warning',
  description: '有单位名录时，牵头、责任或配合单位中的名称不在名录中（泛称除外）；信息中给出至多三个最接近的名称',
  fix: 'offered',
  fixNote: '改为建议的名称',
  examples: {
    ok: [
      { text: '1. 编制完善权责清单。（牵头单位：财政局，责任单位：市教育局、各区县政府，完成时限：12月底前）\n', directory: DIRECTORY },
      { text: '1. 没有单位名录时不检查单位名称。（牵头单位：市财政厅，完成时限：12月底前）\n' },
    ],
    notOk: [{ text: '1. 编制完善权责清单。（牵头单位：市财政厅，完成时限：12月底前）\n', directory: DIRECTORY }],
  },
  check(ctx) {
    const dir = ctx.directory;
    if (!dir) return;
    const cache = new Map<string, string[]>();
    eachTask(ctx.model, (t) => {
      for (const u of [...t.lead, ...t.responsible, ...t.cooperating]) {
        if (u.known) continue;
        let suggestions = cache.get(u.name);
        if (!suggestions) cache.set(u.name, (suggestions = dir.suggest(u.name)));
        // A name wrapped onto the next line may have taken in a line of other text: replacing
        // it would delete that line, so only a name on one line gets the fix.
        const oneLine = !/[\r\n]/.test(ctx.model.text.slice(u.start, u.end));
        const fixes: Fix[] = oneLine ? suggestions.map((s) => ({ title: `改为“${s}”`, edits: [ctx.edit(u.start, u.end, s)] })) : [];
        ctx.report({
          code: 'unknown-unit',
          start: u.start,
          end: u.end,
          message: `单位名录中没有${quote(u.name)}。${suggestions.length ? `是否应为${suggestions.map(quote).join('或')}？` : ''}如确为新单位，请将它加入单位名录（${ctx.directoryLabel ?? '单位名录.yaml'}）。`,
          fixes,
          data: { name: u.name, suggestions },
        });
      }
    });
  },
};
