// Console pages need the owner's session. The gate asks GET /api/session: without a session it
// goes to /login?next=<this page>; before setup it shows how to get the setup link; with one it
// shows the page and checks again when the session should have ended (and whenever the tab
// comes back into view), so an expired session ends on the login page with a notice instead of
// failing requests.
import { loginUrl, session, type SessionInfo } from './api.ts';
import { t } from '../i18n/index.ts';

function showSetupNeeded(): void {
  const main = document.getElementById('main');
  if (!main) return;
  const p = document.createElement('p');
  p.className = 'notice';
  p.setAttribute('role', 'status');
  p.textContent = t('session.setupNeeded');
  main.replaceChildren(p);
  document.body.dataset.session = 'setup-needed';
}

let timer: ReturnType<typeof setTimeout> | undefined;

function watch(s: SessionInfo): void {
  clearTimeout(timer);
  if (!s.session) return;
  const ms = Date.parse(s.session.expiresAt) - Date.now() + 2000;
  // setTimeout holds at most ~24.8 days; sessions are far shorter.
  timer = setTimeout(recheck, Math.min(Math.max(ms, 1000), 2 ** 31 - 1));
}

async function recheck(): Promise<void> {
  const s = await session(true).catch(() => undefined);
  if (!s) return;
  if (!s.authenticated) location.assign(loginUrl(true));
  else watch(s);
}

export async function gate(): Promise<SessionInfo | undefined> {
  let s: SessionInfo;
  try {
    s = await session();
  } catch {
    document.body.dataset.session = 'offline';
    const loading = document.querySelector('.session-loading');
    if (loading) loading.textContent = t('error.network');
    return undefined;
  }
  if (s.setupNeeded) {
    showSetupNeeded();
    return s;
  }
  if (!s.authenticated) {
    location.replace(loginUrl(false));
    return s;
  }
  document.body.dataset.session = 'ok';
  watch(s);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') void recheck();
  });
  return s;
}
