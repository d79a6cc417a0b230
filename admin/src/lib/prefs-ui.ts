// The language and theme switches of both layouts (components/Prefs.astro): buttons with
// aria-pressed. Changing the language reloads the page, so that every island renders again in
// it; the theme changes in place.
import { lang, setLang, t, type Lang } from '../i18n/index.ts';
import { setTheme, theme, type Theme } from './theme.ts';

function press(selector: string, attr: string, value: string): void {
  for (const b of document.querySelectorAll<HTMLButtonElement>(selector)) b.setAttribute('aria-pressed', String(b.dataset[attr] === value));
}

export function initPrefs(): void {
  press('[data-set-lang]', 'setLang', lang());
  press('[data-set-theme]', 'setTheme', theme());
  for (const b of document.querySelectorAll<HTMLButtonElement>('[data-set-lang]')) {
    b.addEventListener('click', () => {
      const next = b.dataset.setLang as Lang;
      if (next === lang()) return;
      setLang(next);
      location.reload();
    });
  }
  for (const b of document.querySelectorAll<HTMLButtonElement>('[data-set-theme]')) {
    b.title = t(`prefs.theme.${b.dataset.setTheme}`);
    b.addEventListener('click', () => {
      setTheme(b.dataset.setTheme as Theme);
      press('[data-set-theme]', 'setTheme', theme());
    });
  }
  // The static title is English; pages name theirs with data-title-key on <body>.
  const key = document.body.dataset.titleKey;
  if (key) document.title = `${t(key)} · sil`;
}
