/**
 * `npm run gen:settings`: writes package.json's `contributes.configuration` and the settings'
 * strings in package.nls.json (English) and package.nls.zh-cn.json (Chinese) from
 * server/src/settings.ts, so the server's schema stays the one source. The manifest test
 * calls `generateSettings()` and fails when the files have drifted from it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SETTINGS, configurationContribution } from '../../server/src/settings.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

const TITLE_KEY = 'configuration.title';
const TITLE = { en: 'fenjie (task breakdown tables)', zh: '任务分解表' };

export interface GeneratedSettings {
  configuration: ReturnType<typeof configurationContribution>;
  /** The nls strings the configuration refers to, by file. */
  nls: { 'package.nls.json': Record<string, string>; 'package.nls.zh-cn.json': Record<string, string> };
}

export function generateSettings(): GeneratedSettings {
  const en: Record<string, string> = { [TITLE_KEY]: TITLE.en };
  const zh: Record<string, string> = { [TITLE_KEY]: TITLE.zh };
  for (const [key, def] of Object.entries(SETTINGS)) {
    en[key] = def.descriptionEn;
    zh[key] = def.description;
  }
  return { configuration: configurationContribution(), nls: { 'package.nls.json': en, 'package.nls.zh-cn.json': zh } };
}

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')) as Record<string, unknown>;
}

function writeJson(file: string, value: unknown): void {
  fs.writeFileSync(path.join(ROOT, file), JSON.stringify(value, null, 2) + '\n');
}

function main(): void {
  const generated = generateSettings();

  const pkg = readJson('package.json');
  pkg['contributes'] = { ...(pkg['contributes'] as Record<string, unknown> | undefined), configuration: generated.configuration };
  writeJson('package.json', pkg);

  for (const [file, strings] of Object.entries(generated.nls)) {
    const nls = fs.existsSync(path.join(ROOT, file)) ? (readJson(file) as Record<string, string>) : {};
    // Settings are the only nls keys that start with `fenjie.`: a setting removed from SETTINGS loses its string too.
    for (const key of Object.keys(nls)) if (key.startsWith('fenjie.') && !(key in strings)) delete nls[key];
    writeJson(file, { ...nls, ...strings });
  }
  console.log(`gen:settings: ${Object.keys(SETTINGS).length} settings written to package.json and ${Object.keys(generated.nls).join(', ')}.`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) main();
