// The one-time setup page: step 1 the password (twice), step 2 the authenticator (SetupTotp);
// finishing signs the owner in and opens the console.
import { useEffect, useState } from 'preact/hooks';
import { t } from '../i18n/index.ts';
import { session } from '../lib/api.ts';
import { completeSetup, passwordProblem, setupToken, startSetup, type Enrolment } from '../lib/setup.ts';
import ApiErrorView from './ApiErrorView.tsx';
import SetupTotp from './SetupTotp.tsx';

export default function SetupForm() {
  const [token, setToken] = useState(setupToken);
  const [done, setDone] = useState(false);
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    session().then((s) => setDone(!s.setupNeeded), setError);
    // The link pasted into a tab that already shows /setup changes only the fragment.
    const onHash = () => setToken(setupToken());
    addEventListener('hashchange', onHash);
    // Effects run after the first paint: a fragment that changed in between has no event left.
    onHash();
    return () => removeEventListener('hashchange', onHash);
  }, []);

  async function run(work: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (err) {
      setError(err);
    }
    setBusy(false);
  }

  if (done) return <p class="notice" role="status">{t('setup.done')} <a href="/login">{t('setup.signIn')}</a></p>;
  if (!token) return <p class="notice" role="status">{t('setup.noToken')}</p>;
  const errorView = <ApiErrorView error={error} />;
  if (enrolment) {
    const finish = (code: string) => run(async () => ((await completeSetup(token, password, code)), location.assign('/')));
    return <>{errorView}<SetupTotp enrolment={enrolment} busy={busy} onSubmit={finish} onBack={() => setEnrolment(null)} /></>;
  }
  const next = (e: Event) => {
    e.preventDefault();
    const p = passwordProblem(password, confirm);
    setProblem(p);
    if (!p) void run(async () => setEnrolment(await startSetup(token)));
  };
  return (
    <form onSubmit={next} noValidate>
      <p>{t('setup.intro')}</p>
      <p class="steps">{t('setup.step1')}</p>
      <input type="text" name="username" autoComplete="username" value="owner" readOnly hidden />
      <div class="field">
        <label for="setup-password">{t('setup.password')}</label>
        <input id="setup-password" type="password" autoComplete="new-password" required minLength={12} aria-describedby="setup-password-help" value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        <span id="setup-password-help" class="field-help">{t('setup.password.help')}</span>
      </div>
      <div class="field">
        <label for="setup-confirm">{t('setup.confirm')}</label>
        <input id="setup-confirm" type="password" autoComplete="new-password" required value={confirm} onInput={(e) => setConfirm(e.currentTarget.value)} aria-invalid={problem ? 'true' : undefined} aria-describedby={problem ? 'setup-problem' : undefined} />
        {problem && <span id="setup-problem" class="field-error" role="alert">{t(problem)}</span>}
      </div>
      {errorView}
      <div class="actions">
        <button type="submit" class="button" disabled={busy}>{busy ? t('setup.busy') : t('setup.next')}</button>
      </div>
    </form>
  );
}
