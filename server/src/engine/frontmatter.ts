import { z } from 'zod';
import { distance } from 'fastest-levenshtein';
import { readYamlMap, type YamlProblem } from './yamlsource.ts';
import { fieldKeyOf, FIELD_LABEL, FIELD_NAMES } from './fields.ts';
import type { FieldKey } from './types.ts';

/** The document's metadata, from its front matter (spec §1). */
export interface Meta {
  issuer?: string;
  number?: string;
  title?: string;
  to?: string;
  /** 成文日期 as YYYY-MM-DD. */
  date?: string;
  /** 成文日期 as written. */
  dateText?: string;
  signature?: string;
  note?: string;
  year?: number;
  units?: string;
  required: FieldKey[];
}

export type MetaKey = Exclude<keyof Meta, 'dateText'>;

interface KeySpec {
  key: MetaKey;
  zh: string;
  /** What a valid value looks like, for the message. */
  expect: string;
  schema: z.ZodType;
}

const text = z.union([z.string(), z.number()]).transform((v) => String(v).trim());

/** 2020-09-30 or 2020年9月30日, a real calendar day. */
export function parseIssueDate(s: string): string | undefined {
  const m = /^(\d{4})(?:-(\d{1,2})-(\d{1,2})|年(\d{1,2})月(\d{1,2})日)$/.exec(s.trim());
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2] ?? m[4]);
  const d = Number(m[3] ?? m[5]);
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return undefined;
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

const SPECS: KeySpec[] = [
  { key: 'issuer', zh: '发文机关', expect: '文字', schema: text },
  { key: 'number', zh: '发文字号', expect: '文字，如“长经政公组〔2020〕1号”', schema: text },
  { key: 'title', zh: '标题', expect: '文字', schema: text },
  { key: 'to', zh: '主送机关', expect: '文字', schema: text },
  {
    key: 'date',
    zh: '成文日期',
    expect: '日期，如 2020-09-30 或 2020年9月30日',
    schema: z.union([z.string(), z.date()]).transform((v, ctx) => {
      const s = v instanceof Date ? v.toISOString().slice(0, 10) : v;
      const d = parseIssueDate(s);
      if (!d) ctx.addIssue({ code: 'custom', message: 'date' });
      return d ?? '';
    }),
  },
  { key: 'signature', zh: '署名', expect: '文字', schema: text },
  { key: 'note', zh: '附注', expect: '文字，如“（此件公开发布）”', schema: text },
  {
    key: 'year',
    zh: '年度',
    expect: '四位年份，如 2020',
    schema: z.union([z.number().int(), z.string().regex(/^\s*\d{4}\s*(?:年\s*)?$/).transform((s) => parseInt(s, 10))]).pipe(z.number().int().min(1900).max(2100)),
  },
  { key: 'units', zh: '单位名录', expect: '单位名录文件的路径，如 单位名录.yaml', schema: z.string().trim().min(1) },
  {
    key: 'required',
    zh: '必填',
    expect: `字段名列表，如 [牵头单位, 完成时限]；可用的字段：${Object.values(FIELD_LABEL).join('、')}`,
    schema: z
      .union([z.array(z.string()), z.string().transform((s) => s.split(/[、，,；;\s]+/).filter(Boolean))])
      .transform((names, ctx) => {
        const keys: FieldKey[] = [];
        for (const n of names) {
          const k = fieldKeyOf(n);
          if (!k) ctx.addIssue({ code: 'custom', message: n });
          else if (!keys.includes(k)) keys.push(k);
        }
        return keys;
      }),
  },
];

const BY_NAME = new Map<string, KeySpec>();
for (const s of SPECS) {
  BY_NAME.set(s.zh, s);
  BY_NAME.set(s.key, s);
}

/** The Chinese name of each front-matter key, for completion and docs. */
export const META_KEYS: readonly { key: MetaKey; zh: string; expect: string }[] = SPECS.map(({ key, zh, expect }) => ({ key, zh, expect }));

export const DEFAULT_REQUIRED: FieldKey[] = ['lead', 'deadline'];

export interface MetaResult {
  meta: Meta;
  problems: YamlProblem[];
  /** Offsets (in the YAML text) of each key that was read, for go-to and messages. */
  keyRanges: Partial<Record<MetaKey, [number, number]>>;
}

/** Reads and validates front matter YAML; every problem carries the offsets of the bad key. */
export function readMeta(yamlText: string): MetaResult {
  const { entries, problems, isMapping } = readYamlMap(yamlText);
  const meta: Meta = { required: DEFAULT_REQUIRED };
  const keyRanges: MetaResult['keyRanges'] = {};
  if (!isMapping) return { meta, problems, keyRanges };
  const seen = new Map<MetaKey, string>();
  for (const e of entries) {
    const spec = BY_NAME.get(e.key);
    if (!spec) {
      const near = closestKey(e.key);
      problems.push({
        start: e.keyStart,
        end: e.keyEnd,
        severity: 'warning',
        ...(near ? { replace: near } : {}),
        message: `未知的前置元数据键“${e.key}”，将被忽略。${near ? `是否应为“${near}”？` : `可用的键：${SPECS.map((s) => s.zh).join('、')}。`}`,
      });
      continue;
    }
    const earlier = seen.get(spec.key);
    if (earlier !== undefined) {
      // An exact repeat is already a YAML error; only say it when two spellings of one key meet.
      if (earlier !== e.key) problems.push({ start: e.keyStart, end: e.keyEnd, severity: 'error', message: `“${e.key}”与前面的“${earlier}”是同一个键，请只保留一个。` });
      continue;
    }
    seen.set(spec.key, e.key);
    keyRanges[spec.key] = [e.keyStart, e.keyEnd];
    if (e.value === undefined) continue; // unreadable (an alias): already reported
    if (e.value === null || e.value === '') {
      if (spec.key === 'required') (meta as { required: FieldKey[] }).required = [];
      continue;
    }
    const r = spec.schema.safeParse(e.value);
    if (r.success) {
      (meta as unknown as Record<string, unknown>)[spec.key] = r.data;
      if (spec.key === 'date') meta.dateText = String(e.value instanceof Date ? r.data : e.value);
    } else {
      const bad = r.error.issues.filter((i) => i.code === 'custom' && spec.key === 'required').map((i) => i.message);
      problems.push({
        start: e.keyStart,
        end: e.keyEnd,
        severity: 'error',
        message: bad.length
          ? `“${e.key}”中有不认识的字段名：${bad.map((b) => `“${b}”`).join('、')}。可用的字段：${Object.values(FIELD_NAMES).flat().join('、')}。`
          : `“${e.key}”的值不正确：应为${spec.expect}。`,
      });
    }
  }
  return { meta, problems, keyRanges };
}

function closestKey(key: string): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const s of SPECS) {
    for (const cand of [s.zh, s.key]) {
      const d = distance(key, cand);
      if (d < bestD) {
        bestD = d;
        best = s.zh;
      }
    }
  }
  return bestD <= Math.max(1, Math.floor(key.length / 3)) ? best : undefined;
}

/** The year deadlines without one fall in: 年度, else the year of 成文日期. */
export function effectiveYear(meta: Meta): number | undefined {
  if (meta.year !== undefined) return meta.year;
  if (meta.date) return Number(meta.date.slice(0, 4));
  return undefined;
}
