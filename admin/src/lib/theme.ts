// Light, dark or the system's choice. Stored in localStorage `sil.theme` and applied before the
// first paint by the head script (components/Head.astro): `data-theme` on <html> for light and
// dark (it sets color-scheme); without it the console follows the system (prefers-color-scheme).
export type Theme = 'light' | 'dark' | 'system';
export const THEMES: readonly Theme[] = ['light', 'dark', 'system'];
export const THEME_KEY = 'sil.theme';

export function theme(): Theme {
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(THEME_KEY);
  } catch {
    // storage disabled
  }
  return stored === 'light' || stored === 'dark' ? stored : 'system';
}

export function setTheme(value: Theme): void {
  try {
    if (value === 'system') localStorage.removeItem(THEME_KEY);
    else localStorage.setItem(THEME_KEY, value);
  } catch {
    // storage disabled: the choice lasts for this page only
  }
  if (value === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = value;
}
