import { z } from 'zod';

/**
 * The extension's settings: one zod schema. The server validates what it is sent against
 * it, and package.json's `contributes.configuration` is generated from it
 * (`npm run gen:settings`; a test fails when the two drift apart).
 */
export const SETTINGS = {
  'fenjie.diagnostics.debounceMs': {
    schema: z.number().int().min(0).max(2000).default(30),
    description: '编辑后等待多少毫秒再检查（0 表示立即检查）。',
    descriptionEn: 'Milliseconds to wait after an edit before checking (0: at once).',
  },
  'fenjie.inlayHints.deadlineDates': {
    schema: z.boolean().default(true),
    description: '在“12月底前”等完成时限后显示它对应的日期。',
    descriptionEn: 'Show the date a relative deadline (such as 12月底前) resolves to.',
  },
  'fenjie.completion.pinyin': {
    schema: z.boolean().default(true),
    description: '补全单位名称时可用拼音全拼或首字母查找（如 yshj → 营商环境建设局）。',
    descriptionEn: 'Find unit names by full pinyin or initials when completing (yshj → 营商环境建设局).',
  },
  'fenjie.workspace.maxFiles': {
    schema: z.number().int().min(0).max(5000).default(500),
    description: '为补全和查找引用而读取的工作区 .fj.md 文档数的上限。',
    descriptionEn: 'At most this many workspace .fj.md documents are read for completion and references.',
  },
} as const;

export type SettingKey = keyof typeof SETTINGS;

export const settingsSchema = z.object({
  debounceMs: SETTINGS['fenjie.diagnostics.debounceMs'].schema,
  deadlineDates: SETTINGS['fenjie.inlayHints.deadlineDates'].schema,
  pinyin: SETTINGS['fenjie.completion.pinyin'].schema,
  maxFiles: SETTINGS['fenjie.workspace.maxFiles'].schema,
});

export type Settings = z.infer<typeof settingsSchema>;

export const DEFAULT_SETTINGS: Settings = settingsSchema.parse({});

/**
 * Reads the `fenjie` section as the client sends it; a bad value falls back to its default
 * (the editor has already shown the user the schema's own complaint).
 */
export function readSettings(section: unknown): Settings {
  const s = (section && typeof section === 'object' ? section : {}) as Record<string, Record<string, unknown> | undefined>;
  const pick = (group: string, key: string): unknown => s[group]?.[key];
  const raw = {
    debounceMs: pick('diagnostics', 'debounceMs'),
    deadlineDates: pick('inlayHints', 'deadlineDates'),
    pinyin: pick('completion', 'pinyin'),
    maxFiles: pick('workspace', 'maxFiles'),
  };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    const field = settingsSchema.shape[k as keyof Settings];
    const r = field.safeParse(v);
    out[k] = r.success ? r.data : DEFAULT_SETTINGS[k as keyof Settings];
  }
  return out as Settings;
}

/** The JSON schema of `contributes.configuration`, from SETTINGS. */
export function configurationContribution(): { title: string; properties: Record<string, unknown> } {
  const properties: Record<string, unknown> = {};
  for (const [key, def] of Object.entries(SETTINGS)) {
    const json = z.toJSONSchema(def.schema, { io: 'input' }) as Record<string, unknown>;
    delete json['$schema'];
    properties[key] = { ...json, default: def.schema.parse(undefined), markdownDescription: `%${key}%` };
  }
  return { title: '%configuration.title%', properties };
}
