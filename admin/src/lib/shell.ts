// The console layout's behaviour (layouts/Console.astro): preferences, the session gate, the
// menu button of narrow screens, and logout.
import { initPrefs } from './prefs-ui.ts';
import { gate } from './session-gate.ts';
import { api, rememberCsrf } from './api.ts';

function initMenu(): void {
  const button = document.querySelector<HTMLButtonElement>('.menu-button');
  const sidebar = document.getElementById('sidebar');
  if (!button || !sidebar) return;
  const set = (open: boolean) => {
    button.setAttribute('aria-expanded', String(open));
    document.body.classList.toggle('menu-open', open);
  };
  button.addEventListener('click', () => set(button.getAttribute('aria-expanded') !== 'true'));
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && document.body.classList.contains('menu-open')) {
      set(false);
      button.focus();
    }
  });
  sidebar.addEventListener('click', (e) => {
    if ((e.target as HTMLElement).closest('a')) set(false);
  });
  // A tap outside the open menu closes it.
  document.addEventListener('click', (e) => {
    const target = e.target as Node;
    if (document.body.classList.contains('menu-open') && !sidebar.contains(target) && !button.contains(target)) set(false);
  });
}

function initLogout(): void {
  document.getElementById('logout')?.addEventListener('click', async () => {
    await api.send('POST', '/api/logout').catch(() => undefined);
    rememberCsrf(undefined);
    location.assign('/login?loggedOut=1');
  });
}

initPrefs();
initMenu();
initLogout();
void gate();
