import { checkMissing } from './missing.ts';
import type { Rule } from './rule.ts';

export const missingLead: Rule = {
  code: 'missing-lead',
  severity: 'error',
  description: '“必填”包含牵头单位，而任务没有牵头单位，或牵头单位为空。责任单位中写了“X牵头”的算有牵头单位',
  fix: 'none',
  examples: {
    ok: [
      { text: '1. 编制完善权责清单。（牵头单位：市财政局，完成时限：12月底前）\n' },
      { text: '1. 编制完善权责清单。（责任单位：市财政局牵头，市教育局，完成时限：12月底前）\n' },
      { text: '---\n必填: [完成时限]\n---\n\n1. 编制完善权责清单。（完成时限：12月底前）\n' },
    ],
    notOk: [
      { text: '1. 编制完善权责清单。（完成时限：12月底前）\n' },
      { text: '1. 编制完善权责清单。\n   - 牵头单位：\n   - 完成时限：12月底前\n' },
    ],
  },
  check(ctx) {
    checkMissing(ctx, 'missing-lead', 'lead', '请添加一行“牵头单位：单位名称”，或在任务末尾写“（牵头单位：……）”。');
  },
};
