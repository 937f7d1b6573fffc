import type { FieldKey } from './types.ts';

/** Canonical Chinese name of each field, as the official table heads its column. */
export const FIELD_LABEL: Record<FieldKey, string> = {
  lead: '牵头单位',
  responsible: '责任单位',
  cooperating: '配合单位',
  deadline: '完成时限',
  note: '备注',
};

/** Every accepted name of each field (spec §4). */
export const FIELD_NAMES: Record<FieldKey, readonly string[]> = {
  lead: ['牵头单位', '牵头', '牵头部门', '牵头责任单位'],
  responsible: ['责任单位', '责任', '责任部门'],
  cooperating: ['配合单位', '配合', '协同单位', '协同责任单位'],
  deadline: ['完成时限', '时限', '完成时间', '时限要求'],
  note: ['备注'],
};

/** Canonical order of fields, used by the formatter and the table. */
export const FIELD_ORDER: readonly FieldKey[] = ['lead', 'responsible', 'cooperating', 'deadline', 'note'];

const NAME_TO_KEY = new Map<string, FieldKey>();
for (const key of FIELD_ORDER) for (const name of FIELD_NAMES[key]) NAME_TO_KEY.set(name, key);

export function fieldKeyOf(name: string): FieldKey | undefined {
  return NAME_TO_KEY.get(name.trim());
}

// Longest names first so that 牵头单位 wins over 牵头. A field name may be set in bold.
const NAMES_ALT = [...NAME_TO_KEY.keys()].sort((a, b) => b.length - a.length).join('|');
const FIELD_LINE = new RegExp(`^(\\*\\*|__)?(${NAMES_ALT})(\\*\\*|__)?[ \\t\\u3000]*([：:])(\\*\\*|__)?[ \\t\\u3000]*`);

export interface FieldHead {
  key: FieldKey;
  /** The name as written. */
  name: string;
  /** Offset (within the line) where the value starts. */
  valueStart: number;
  /** The colon as written, to tell `:` from `：`. */
  colon: string;
}

/** Recognises a field line (`牵头单位：…`), given the line without its indentation or list marker. */
export function matchFieldHead(line: string): FieldHead | undefined {
  const c = line.charCodeAt(0);
  // Every field name starts with one of these characters (or a bold marker): a cheap gate.
  if (c !== 0x7275 && c !== 0x8d23 && c !== 0x914d && c !== 0x534f && c !== 0x5b8c && c !== 0x65f6 && c !== 0x5907 && c !== 42 && c !== 95) {
    return undefined;
  }
  const m = FIELD_LINE.exec(line);
  if (!m) return undefined;
  const name = m[2] as string;
  return { key: NAME_TO_KEY.get(name) as FieldKey, name, valueStart: m[0].length, colon: m[4] as string };
}

/** Brackets inside which separators do not split a list. */
export const OPEN = '（([【〔《“‘';
export const CLOSE = '）)]】〕》”’';

/** Finds the `（` that matches the `）` at `end - 1`, looking no further back than `from`; -1 if none. */
export function matchTrailingParen(text: string, from: number, end: number): number {
  if (text[end - 1] !== '）') return -1;
  let depth = 0;
  for (let i = end - 1; i >= from; i--) {
    const ch = text[i] as string;
    if (ch === '）' || ch === ')') depth++;
    else if (ch === '（' || ch === '(') {
      depth--;
      if (depth === 0) return ch === '（' ? i : -1;
    }
  }
  return -1;
}

export interface InlineField {
  key: FieldKey;
  name: string;
  colon: string;
  /** Offsets within the scanned text. */
  nameStart: number;
  valueStart: number;
  valueEnd: number;
}

/** Index of the next list separator outside brackets, from `from` up to `end`; `end` if none. */
export function nextSeparator(text: string, from: number, end: number, separators: string): number {
  let depth = 0;
  for (let i = from; i < end; i++) {
    const ch = text[i] as string;
    if (OPEN.includes(ch)) depth++;
    else if (CLOSE.includes(ch)) depth = Math.max(0, depth - 1);
    else if (depth === 0 && separators.includes(ch)) return i;
  }
  return end;
}

const INLINE_SEPARATORS = '，；,;';

/**
 * Reads the inline form `（牵头单位：X，责任单位：Y、Z）` between `open` (the `（`) and
 * `close` (the `）`). Its content must start with a field name; a part without a field
 * name continues the previous field's value, since units are also separated by `，`.
 */
export function parseInlineFields(text: string, open: number, close: number): InlineField[] | undefined {
  const fields: InlineField[] = [];
  let at = open + 1;
  while (at <= close) {
    while (at < close && /\s/.test(text[at] as string)) at++;
    const sep = nextSeparator(text, at, close, INLINE_SEPARATORS);
    const head = matchFieldHead(text.slice(at, sep));
    if (head) {
      fields.push({ key: head.key, name: head.name, colon: head.colon, nameStart: at, valueStart: at + head.valueStart, valueEnd: sep });
    } else if (fields.length === 0) {
      return undefined;
    } else {
      (fields[fields.length - 1] as InlineField).valueEnd = sep;
    }
    at = sep + 1;
  }
  return fields.length ? fields : undefined;
}
