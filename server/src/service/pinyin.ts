import { pinyin } from 'pinyin-pro';

/*
 * Pinyin keys let a drafter find 营商环境建设局 by typing `yshj` or `yingshang` in the
 * completion list: the editor's fuzzy filter matches what is typed against an item's
 * filterText, and the keys are appended to it.
 */

const HAN = /[\u3400-\u9fff\uf900-\ufaff]/;
const NOT_KEY = /[^a-z0-9]/g;

// Completion asks for the keys of every unit on every keystroke; a directory has at most a
// few hundred names, so the cache stays small, but it is bounded for hostile workspaces.
const MAX_CACHED = 20_000;
const cache = new Map<string, string[]>();

function joinKey(parts: string[]): string {
  return parts.join('').toLowerCase().replace(NOT_KEY, '');
}

/**
 * Full pinyin (yingshanghuanjingjiansheju) and initials (yshjjsj) of a name, lower case,
 * without tones or spaces. A name with polyphones also gets the reading of each character
 * on its own (银行 → yinhang and yinxing), since a drafter may type either. Empty for a
 * name without Chinese characters: its own text already matches what is typed.
 */
export function pinyinKeys(name: string): string[] {
  const cached = cache.get(name);
  if (cached) return cached;
  const keys: string[] = [];
  if (HAN.test(name)) {
    // `v: true` spells ü as v (lv for 绿), which is how it is typed on a keyboard.
    const contextual = pinyin(name, { toneType: 'none', type: 'array', v: true });
    const isolated = [...name].map((ch) => (HAN.test(ch) ? (pinyin(ch, { toneType: 'none', type: 'array', multiple: true, v: true })[0] ?? ch) : ch));
    for (const reading of [contextual, isolated]) {
      const full = joinKey(reading);
      const initials = joinKey(reading.map((syllable) => syllable.charAt(0)));
      for (const key of [full, initials]) if (key && !keys.includes(key)) keys.push(key);
    }
  }
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(name, keys);
  return keys;
}
