// Sign-in: the password and the current authenticator code, both checked by the hub at once.
// Where to go afterwards comes from ?next= (a path of this site only).
import { api, rememberCsrf, safeNext } from './api.ts';

export interface LoginNotice {
  expired: boolean;
  loggedOut: boolean;
  next: string;
}

export function loginNotice(search: string = location.search): LoginNotice {
  const q = new URLSearchParams(search);
  return { expired: q.has('expired'), loggedOut: q.has('loggedOut'), next: safeNext(q.get('next')) };
}

export function normaliseCode(code: string): string {
  return code.replace(/\D/g, '').slice(0, 6);
}

export async function login(password: string, totp: string): Promise<void> {
  const r = await api.send<{ csrfToken?: string }>('POST', '/api/login', { password, totp: normaliseCode(totp) });
  rememberCsrf(r.csrfToken);
}
