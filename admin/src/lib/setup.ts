// The one-time setup (docs/security.md, "First run"): the token comes from the link's fragment
// (#...), which the browser never sends to a server; the page posts it with the password and the
// first authenticator code.
import { ApiError, api, rememberCsrf } from './api.ts';

export interface Enrolment {
  totpSecret: string;
  otpauthUri: string;
  qrSvg?: string;
}

export function setupToken(hash: string = location.hash): string | null {
  const token = decodeURIComponent(hash.replace(/^#/, '')).trim();
  return /^[A-Za-z0-9_-]{20,}$/.test(token) ? token : null;
}

/** The i18n key of what is wrong with the password pair, or null. The hub checks again. */
export function passwordProblem(password: string, confirm: string): string | null {
  if ([...password.normalize('NFC')].length < 12) return 'setup.tooShort';
  if (password !== confirm) return 'setup.mismatch';
  return null;
}

/** The QR code as an <img> source: the SVG the hub drew, as a data: URL (CSP: img-src data:). */
export function qrSource(svg: string | undefined): string | undefined {
  return svg ? `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}` : undefined;
}

export function startSetup(token: string): Promise<Enrolment> {
  return api.send<Enrolment>('POST', '/api/setup/start', { token });
}

export async function completeSetup(token: string, password: string, totp: string): Promise<void> {
  try {
    const r = await api.send<{ csrfToken?: string }>('POST', '/api/setup/complete', { token, password, totp: totp.replace(/\s/g, '') });
    rememberCsrf(r.csrfToken);
  } catch (err) {
    // Here only the code can be wrong (the hub answers as it does for a failed login).
    if (err instanceof ApiError && err.code === 'SIL_LOGIN_FAILED') throw new ApiError(err.status, { code: 'SETUP_CODE', message: err.message, hint: err.hint });
    throw err;
  }
}
