// The login form: password + 6-digit authenticator code. Shows why the owner is here (session
// ended, signed out), the hub's refusals inline (wrong code, 429 with the wait), and goes to
// ?next= once signed in.
import { useEffect, useState } from 'preact/hooks';
import { t } from '../i18n/index.ts';
import { session } from '../lib/api.ts';
import { login, loginNotice, normaliseCode } from '../lib/login.ts';
import ApiErrorView from './ApiErrorView.tsx';

export default function LoginForm() {
  const notice = loginNotice();
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [setupNeeded, setSetupNeeded] = useState(false);

  useEffect(() => {
    session().then((s) => (s.authenticated ? location.replace(notice.next) : setSetupNeeded(s.setupNeeded)), setError);
  }, []);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(password, code);
      location.assign(notice.next);
    } catch (err) {
      setError(err);
      setCode('');
      setBusy(false);
    }
  }

  if (setupNeeded) return <p class="notice" role="status">{t('session.setupNeeded')}</p>;
  return (
    <form onSubmit={submit} class="login-form" noValidate>
      {notice.expired && <p class="notice" role="status">{t('session.expired')}</p>}
      {notice.loggedOut && !notice.expired && <p class="notice notice-ok" role="status">{t('login.loggedOut')}</p>}
      <p>{t('login.intro')}</p>
      <input type="text" name="username" autoComplete="username" value="owner" readOnly hidden />
      <div class="field">
        <label for="login-password">{t('login.password')}</label>
        <input id="login-password" type="password" autoComplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
      </div>
      <div class="field">
        <label for="login-code">{t('login.code')}</label>
        <input id="login-code" inputMode="numeric" autoComplete="one-time-code" pattern="[0-9]{6}" maxLength={7} required dir="ltr" aria-describedby="login-code-help" value={code} onInput={(e) => setCode(normaliseCode(e.currentTarget.value))} />
        <span id="login-code-help" class="field-help">{t('login.code.help')}</span>
      </div>
      <ApiErrorView error={error} />
      <div class="actions">
        <button type="submit" class="button" disabled={busy}>{busy ? t('login.busy') : t('login.submit')}</button>
      </div>
    </form>
  );
}
