import { InlayHintKind, type InlayHint, type Range } from 'vscode-languageserver-types';
import { cnDate } from '../engine/index.ts';
import type { Deadline } from '../engine/model.ts';
import type { ServiceDocument, ServiceWorkspace } from './types.ts';

/**
 * True when the deadline's text already spells its whole date (2020年12月31日前,
 * 2020-12-31): a hint would only repeat it.
 */
function spellsDate(d: Deadline): boolean {
  return !!d.parsed?.yearExplicit && (/日/.test(d.text) || /\d{4}-\d{2}-\d{2}/.test(d.text));
}

/** The date each relative 完成时限 (12月底前, 第三季度, 上半年) resolves to, shown after it. */
export function provideInlayHints(ws: ServiceWorkspace, doc: ServiceDocument, range: Range): InlayHint[] {
  if (!ws.settings.deadlineDates) return [];
  const model = doc.analysis.model;
  const from = model.lines.offset(range.start);
  const to = model.lines.offset(range.end);
  const out: InlayHint[] = [];
  for (const bd of model.breakdowns) {
    for (const task of bd.tasks) {
      const d = task.deadline;
      const end = d?.parsed?.end;
      if (!d || !end || d.parsed?.kind !== 'date' || spellsDate(d)) continue;
      if (d.end < from || d.end > to) continue;
      out.push({
        position: model.lines.position(d.end),
        label: `→ ${end}`,
        kind: InlayHintKind.Parameter,
        paddingLeft: true,
        tooltip: `“${d.text}”的最后一天是${cnDate(end)}`,
      });
    }
  }
  return out;
}
