import type { Task } from '../model.ts';
import type { RelatedInfo } from '../types.ts';
import { clip, quote, taskSpan } from './common.ts';
import type { Rule } from './rule.ts';

export const duplicateTask: Rule = {
  code: 'duplicate-task',
  severity: 'warning',
  description: '同一张分解表中有两条任务的文字相同（不计空白和末尾的“。；，”等标点）；指向后一条',
  fix: 'none',
  examples: {
    ok: [{ text: '---\n必填: []\n---\n\n1. 编制完善权责清单。\n2. 公开权责清单。\n' }],
    notOk: [{ text: '---\n必填: []\n---\n\n1. 编制完善权责清单。\n2. 编制完善 权责清单；\n' }],
  },
  check(ctx) {
    for (const bd of ctx.model.breakdowns) {
      const seen = new Map<string, Task>();
      for (const t of bd.tasks) {
        const key = t.text.replace(/[\s\u3000]/g, '').replace(/[。；;.，,]+$/, '');
        if (!key) continue;
        const first = seen.get(key);
        if (!first) {
          seen.set(key, t);
          continue;
        }
        const related: RelatedInfo[] = [{ range: ctx.model.lines.range(first.textStart, first.textEnd), message: '第一次出现在这里' }];
        ctx.report({
          code: 'duplicate-task',
          ...taskSpan(t),
          message: `任务${quote(clip(t.text))}与第${ctx.model.lines.position(first.textStart).line + 1}行的任务（序号${first.number}）相同。请合并或修改其中一条。`,
          related,
        });
      }
    }
  },
};
