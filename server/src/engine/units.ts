import { nextSeparator } from './fields.ts';

/** A unit name found in a field value, with its offsets in the scanned text. */
export interface UnitToken {
  name: string;
  start: number;
  end: number;
  /** Written as `X牵头` inside 责任单位: X leads. */
  leads: boolean;
  /** The part of the written text that follows the name and qualifies it (`牵头`, `按职能分别落实`). */
  qualifier: string;
}

/** Knows which names to match whole before splitting (the 单位名录's names, aliases and 泛称). */
export interface NameMatcher {
  /** The longest known name that starts at `at` in `text`, if any. */
  longestAt(text: string, at: number, end: number): string | undefined;
}

const SEPARATORS = '、，,；;';
const MAJOR = '，,；;';
const SPACE = /[\s\u3000]/;

/**
 * Phrases that qualify a list rather than name a unit (spec §4): `各单位按职能分别落实`
 * means 各单位. Matched at the end of a name.
 */
const QUALIFIER = /(?:按照?|根据)?(?:各自)?(?:职能|职责)(?:分工)?(?:分别|共同)?(?:负责|落实|推进|办理)?$|(?:分别|共同|具体)(?:负责|落实|推进)$|(?:负责落实|配合落实|抓好落实|负责|落实)$|等$/;
/** `X牵头`, also `X牵头组织` / `X牵头负责`: X leads. */
const LEAD = /牵头(?:组织|负责|落实|抓总|推进|实施)?$/;

function stripQualifier(name: string): { name: string; qualifier: string } {
  const m = QUALIFIER.exec(name);
  if (!m || m.index === 0) return { name, qualifier: '' };
  return { name: name.slice(0, m.index), qualifier: name.slice(m.index) };
}

/**
 * Splits a unit list on `、，,；;` outside brackets (spec §4). Known names are matched
 * whole first, even when they contain a separator. In a 责任单位 value, `X、Y牵头` makes
 * X and Y leads (the `牵头` closes the run of names since the last `，` or `；`).
 */
export function splitUnits(text: string, start: number, end: number, matcher?: NameMatcher): UnitToken[] {
  const tokens: UnitToken[] = [];
  let segmentStart = 0; // index in tokens where the current `，`-separated segment begins
  let at = start;
  while (at < end) {
    const ch = text[at] as string;
    if (SPACE.test(ch)) {
      at++;
      continue;
    }
    if (SEPARATORS.includes(ch)) {
      if (MAJOR.includes(ch)) segmentStart = tokens.length;
      at++;
      continue;
    }
    const sep = nextSeparator(text, at, end, SEPARATORS);
    let nameEnd = sep;
    const known = matcher?.longestAt(text, at, end);
    // A known name may run over a separator (市直和中央、省驻常有关单位), so it is tried
    // against the whole rest of the value, then must end where a name can end.
    let knownEnd = -1;
    if (known) {
      const after = at + known.length;
      const rest = text.slice(after, nextSeparator(text, after, end, SEPARATORS));
      if (rest === '' || LEAD.exec(rest)?.index === 0 || stripQualifier('x' + rest).qualifier === rest) knownEnd = after;
    }
    let raw: string;
    if (knownEnd >= 0) {
      nameEnd = knownEnd;
      raw = text.slice(at, nameEnd);
    } else {
      raw = text.slice(at, sep);
    }
    let tail = knownEnd >= 0 ? text.slice(knownEnd, nextSeparator(text, knownEnd, end, SEPARATORS)) : '';
    let name = raw;
    let leads = false;
    if (knownEnd < 0) {
      // Trim trailing spaces inside the part.
      name = name.trimEnd();
      const lead = LEAD.exec(name);
      if (lead && lead.index > 0) {
        name = name.slice(0, lead.index);
        tail = lead[0];
        leads = true;
      } else {
        const q = stripQualifier(name);
        name = q.name;
        tail = q.qualifier;
      }
    } else if (LEAD.exec(tail)?.index === 0) {
      leads = true;
    }
    if (name) {
      tokens.push({ name, start: at, end: at + name.length, leads, qualifier: tail });
      if (leads) for (let i = segmentStart; i < tokens.length; i++) (tokens[i] as UnitToken).leads = true;
    }
    at = knownEnd >= 0 ? knownEnd + tail.length : sep;
  }
  return tokens;
}

/** Collective names (泛称) by form: `各…`, `…有关单位`, `…有关部门` (spec §4). */
export function isCollectiveByForm(name: string): boolean {
  return name.startsWith('各') || name.endsWith('有关单位') || name.endsWith('有关部门');
}
