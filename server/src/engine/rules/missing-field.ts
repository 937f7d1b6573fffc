import { FIELD_LABEL } from '../fields.ts';
import { eachTask, taskSpan } from './common.ts';
import type { Rule } from './rule.ts';

export const missingField: Rule = {
  code: 'missing-field',
  severity: 'error',
  description: '任务缺少“必填”列出的其他字段（责任单位、配合单位、备注）',
  fix: 'none',
  examples: {
    ok: [
      { text: '---\n必填: [牵头单位, 完成时限, 责任单位]\n---\n\n1. 编制完善权责清单。（牵头单位：市财政局，责任单位：市教育局，完成时限：12月底前）\n' },
      { text: '---\n必填: [牵头单位, 完成时限, 责任单位]\n---\n\n1. 编制完善权责清单。（责任单位：市财政局牵头，完成时限：12月底前）\n' },
    ],
    notOk: [
      { text: '---\n必填: [牵头单位, 完成时限, 责任单位]\n---\n\n1. 编制完善权责清单。（牵头单位：市财政局，完成时限：12月底前）\n' },
      { text: '---\n必填: [备注]\n---\n\n1. 编制完善权责清单。\n   - 备注：\n' },
    ],
  },
  check(ctx) {
    const others = ctx.model.meta.required.filter((k) => k !== 'lead' && k !== 'deadline');
    if (!others.length) return;
    eachTask(ctx.model, (t) => {
      for (const key of others) {
        const has = key === 'note' ? !!t.note : key === 'responsible' ? t.responsible.length > 0 || t.fields.some((f) => f.key === 'responsible' && t.lead.some((l) => l.field === f)) : t[key].length > 0;
        if (has) continue;
        const empty = t.fields.find((f) => f.key === key);
        const at = empty ? { start: empty.start, end: empty.end } : taskSpan(t);
        ctx.report({
          code: 'missing-field',
          ...at,
          message: `任务缺少必填字段“${FIELD_LABEL[key]}”。请添加一行“${FIELD_LABEL[key]}：……”（前置元数据“必填”要求此字段）。`,
          data: { field: key },
        });
      }
    });
  },
};
