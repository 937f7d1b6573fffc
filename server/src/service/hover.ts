import { MarkupKind, type Hover, type Position } from 'vscode-languageserver-types';
import { cnDate, suggestDeadline, type Task, type UnitRef } from '../engine/index.ts';
import type { Deadline, DocumentModel } from '../engine/model.ts';
import { DEADLINE_EXAMPLES } from '../engine/deadline.ts';
import { effectiveYear } from '../engine/frontmatter.ts';
import { hitAt, mentionsOf } from './locate.ts';
import type { ServiceDocument, ServiceWorkspace } from './types.ts';

/** A card for the unit or the 完成时限 under the cursor; null elsewhere. */
export function provideHover(ws: ServiceWorkspace, doc: ServiceDocument, position: Position): Hover | null {
  const hit = hitAt(doc, position);
  const model = doc.analysis.model;
  if (hit?.kind === 'unit') {
    return { contents: { kind: MarkupKind.Markdown, value: unitCard(ws, doc, hit.unit) }, range: model.lines.range(hit.unit.start, hit.unit.end) };
  }
  if (hit?.kind === 'deadline') {
    return { contents: { kind: MarkupKind.Markdown, value: deadlineCard(model, hit.deadline) }, range: model.lines.range(hit.deadline.start, hit.deadline.end) };
  }
  return null;
}

/** Names and deadlines are the drafter's text: Markdown must show them as written. */
function md(s: string): string {
  return s.replace(/[\\`*_[\]<>|~]/g, '\\$&');
}

function unitCard(ws: ServiceWorkspace, doc: ServiceDocument, unit: UnitRef): string {
  const dir = doc.analysis.directory;
  const hit = dir?.lookup(unit.name);
  const lines = [`**${md(unit.canonical)}**`];
  if (hit?.kind === 'alias') lines.push(`“${md(unit.name)}”是简称。`);
  const aliases = hit && hit.kind !== 'collective' ? hit.unit.aliases : [];
  if (aliases.length) lines.push(`简称：${aliases.map(md).join('、')}`);
  if (unit.collective) lines.push('泛称（泛指一类单位，可作责任单位、配合单位，不能作牵头单位）');
  if (!dir) lines.push('未找到单位名录，名称未经核对。');
  else if (hit?.kind === 'collective') lines.push('已列入单位名录（泛称）。');
  else if (hit) lines.push('已列入单位名录。');
  else if (unit.collective) lines.push('不在单位名录中（按写法认作泛称）。');
  else lines.push('不在单位名录中。');
  const { lead, other, documents } = countTasks(ws, unit.canonical);
  lines.push(`工作区中：牵头 ${lead} 项任务、参与 ${other} 项任务${documents > 1 ? `（${documents} 个文档）` : ''}`);
  return lines.join('\n\n');
}

/** Tasks the unit leads, and tasks it takes part in as responsible or cooperating unit, across the workspace. */
function countTasks(ws: ServiceWorkspace, canonical: string): { lead: number; other: number; documents: number } {
  const leads = new Set<Task>();
  const others = new Set<Task>();
  const documents = new Set<string>();
  for (const { doc, task, unit } of mentionsOf(ws, canonical)) {
    (unit.role === 'lead' ? leads : others).add(task);
    documents.add(doc.uri);
  }
  return { lead: leads.size, other: others.size, documents: documents.size };
}

function deadlineCard(model: DocumentModel, d: Deadline): string {
  const lines = [`**完成时限：${md(d.text)}**`];
  const p = d.parsed;
  const year = effectiveYear(model.meta);
  if (!p) {
    const suggestion = suggestDeadline(d.text);
    lines.push(`无法识别这个完成时限。${suggestion ? `是否应为“${md(suggestion)}”？` : ''}`);
    lines.push(`可用的写法如：${DEADLINE_EXAMPLES.map(md).join('、')}。`);
  } else if (p.kind === 'periodic') {
    lines.push(`周期性时限（${p.describe}），没有最后一天，不检查是否早于成文日期或超出年度。`);
  } else if (p.kind === 'ongoing') {
    lines.push('长期性时限，没有最后一天，不检查是否早于成文日期或超出年度。');
  } else if (!p.end) {
    lines.push(`截止日期：${p.describe}，年份无法确定。`);
    lines.push('前置元数据中没有“年度”或“成文日期”，请写明“年度”（如“年度: 2020”）。');
  } else {
    lines.push(`截止日期：${cnDate(p.end)}${p.yearExplicit || year === undefined ? '' : `（年份取自${model.meta.year !== undefined ? '年度' : '成文日期'} ${year}）`}`);
    const issued = model.meta.date;
    if (issued && p.end < issued) lines.push(`注意：早于成文日期${cnDate(issued)}。`);
    if (year !== undefined && p.end > `${year}-12-31`) lines.push(`注意：超出了${year}年度。`);
  }
  return lines.join('\n\n');
}
