// The console's strings: every English key has an Arabic one (and no Arabic key lacks an English
// original), in en.ts/ar.ts and in every <part>.en.ts/<part>.ar.ts pair, with the same {placeholders}.
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';

const DIR = fileURLToPath(new URL('../../../admin/src/i18n/', import.meta.url));
type Dict = Record<string, string>;

// Loaded by path: admin/ has its own tsconfig (DOM, Vite), which the root tsc does not follow into.
const load = async (name: string): Promise<Dict> => ((await import(pathToFileURL(join(DIR, name)).href)) as { default: Dict }).default;
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

const pairs = readdirSync(DIR)
  .filter((f) => f === 'en.ts' || f.endsWith('.en.ts'))
  .map((en) => [en, en.replace(/en\.ts$/, 'ar.ts')] as const);

describe('console strings (admin/src/i18n)', () => {
  it('has the base pair', () => {
    expect(pairs.map((p) => p[0])).toContain('en.ts');
  });

  it.each(pairs)('%s and %s have the same keys and placeholders, none empty', async (enFile, arFile) => {
    expect(readdirSync(DIR), `${arFile} is missing`).toContain(arFile);
    const [en, ar] = await Promise.all([load(enFile), load(arFile)]);
    expect(Object.keys(en).filter((k) => !(k in ar)), `keys of ${enFile} missing in ${arFile}`).toEqual([]);
    expect(Object.keys(ar).filter((k) => !(k in en)), `keys of ${arFile} missing in ${enFile}`).toEqual([]);
    for (const [key, text] of Object.entries(en)) {
      expect(text.trim(), `${enFile} ${key}`).not.toBe('');
      expect(ar[key].trim(), `${arFile} ${key}`).not.toBe('');
      expect(placeholders(ar[key]), `${key}: placeholders`).toEqual(placeholders(text));
    }
  });

  it('names the integration center as the issue says', async () => {
    expect((await load('en.ts'))['nav.center']).toBe('Service Providers Integration Center');
    expect((await load('ar.ts'))['nav.center']).toBe('مركز تكامل مزودي الخدمات');
  });
});
