// Step 2 of the setup: the authenticator secret as a QR code, as text and as an otpauth URI,
// and the first code from the app.
import { useState } from 'preact/hooks';
import { t } from '../i18n/index.ts';
import { normaliseCode } from '../lib/login.ts';
import { qrSource, type Enrolment } from '../lib/setup.ts';

export interface SetupTotpProps {
  enrolment: Enrolment;
  busy: boolean;
  onSubmit: (code: string) => void;
  onBack: () => void;
}

export default function SetupTotp({ enrolment, busy, onSubmit, onBack }: SetupTotpProps) {
  const [code, setCode] = useState('');
  const src = qrSource(enrolment.qrSvg);
  return (
    <form
      class="setup-totp"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(code);
      }}
    >
      <p class="steps">{t('setup.step2')}</p>
      <p>{t('setup.scan')}</p>
      {src && <img class="setup-qr" src={src} width={200} height={200} alt={t('setup.qrAlt')} />}
      <p>
        {t('setup.secret')}: <code class="secret" dir="ltr" data-testid="totp-secret">{enrolment.totpSecret}</code>
      </p>
      <details>
        <summary>{t('setup.uri')}</summary>
        <code class="secret" dir="ltr">{enrolment.otpauthUri}</code>
      </details>
      <div class="field">
        <label for="setup-code">{t('setup.code')}</label>
        <input id="setup-code" inputMode="numeric" autoComplete="one-time-code" pattern="[0-9]{6}" maxLength={7} required dir="ltr" value={code} onInput={(e) => setCode(normaliseCode(e.currentTarget.value))} />
      </div>
      <div class="actions">
        <button type="submit" class="button" disabled={busy}>{busy ? t('setup.busy') : t('setup.finish')}</button>
        <button type="button" class="button button-quiet" onClick={onBack}>{t('setup.back')}</button>
      </div>
    </form>
  );
}
