// The console's two languages. Strings are flat objects (key → text) in en.ts / ar.ts plus every
// `<part>.en.ts` / `<part>.ar.ts` of this folder (merged in at build time). t() renders a key in
// the page's language, falling back to English and then to the key itself.
//
// The language is stored in localStorage `sil.lang` and applied to <html lang dir> before the
// first paint by the head script of components/Head.astro; lang() reads it back from <html>.
import en from './en.ts';
import ar from './ar.ts';

export type Lang = 'en' | 'ar';
export const LANGS: readonly Lang[] = ['en', 'ar'];
export const LANG_KEY = 'sil.lang';
type Dict = Record<string, string>;

const parts = {
  en: import.meta.glob<Dict>('./*.en.ts', { eager: true, import: 'default' }),
  ar: import.meta.glob<Dict>('./*.ar.ts', { eager: true, import: 'default' }),
};

export const dictionaries: Record<Lang, Dict> = {
  en: Object.assign({}, en, ...Object.values(parts.en)),
  ar: Object.assign({}, ar, ...Object.values(parts.ar)),
};

/** The page's language (English outside a browser, e.g. while Astro renders at build time). */
export function lang(): Lang {
  if (typeof document === 'undefined') return 'en';
  return document.documentElement.lang === 'ar' ? 'ar' : 'en';
}

export function dir(l: Lang = lang()): 'rtl' | 'ltr' {
  return l === 'ar' ? 'rtl' : 'ltr';
}

/** Stores the language and applies it to <html>. Callers reload so that every island re-renders. */
export function setLang(l: Lang): void {
  try {
    localStorage.setItem(LANG_KEY, l);
  } catch {
    // storage disabled: the choice lasts for this page only
  }
  document.documentElement.lang = l;
  document.documentElement.dir = dir(l);
  document.dispatchEvent(new CustomEvent('sil:lang', { detail: l }));
}

/** `key` in language `l`, with `{name}` placeholders filled from `vars`. */
export function tIn(l: Lang, key: string, vars?: Record<string, string | number>): string {
  const text = dictionaries[l][key] ?? dictionaries.en[key] ?? key;
  return vars ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m)) : text;
}

export function t(key: string, vars?: Record<string, string | number>): string {
  return tIn(lang(), key, vars);
}

/** Numbers in the page's language (Arabic-Indic digits are not forced: the owner's codes stay readable). */
export function formatNumber(n: number, opts?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(lang() === 'ar' ? 'ar-u-nu-latn' : 'en', opts).format(n);
}
