// The console's client of the admin API (docs/api.md). Same-origin requests with the session
// cookie; every non-GET carries the CSRF token of GET /api/session in `x-sil-csrf`. Errors are
// thrown as ApiError with the API's {code, message, hint, details}. When the session has ended
// (401 SIL_SESSION_REQUIRED) the browser goes to /login?next=<this page>&expired=1.
export interface SessionInfo {
  authenticated: boolean;
  setupNeeded: boolean;
  csrfToken: string;
  session?: { createdAt: string; expiresAt: string; idleMinutes: number };
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly hint: string;
  readonly details: unknown;
  /** Seconds, from Retry-After (429 answers). */
  readonly retryAfter?: number;

  constructor(status: number, body: { code?: string; message?: string; hint?: string; details?: unknown }, retryAfter?: number) {
    super(body.message ?? `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = body.code ?? (status === 0 ? 'NETWORK' : `HTTP_${status}`);
    this.hint = body.hint ?? '';
    this.details = body.details;
    if (retryAfter !== undefined) this.retryAfter = retryAfter;
  }
}

let csrf: string | undefined;
let current: Promise<SessionInfo> | undefined;

/** GET /api/session (cached; `refresh` asks again). Also caches the CSRF token. */
export function session(refresh = false): Promise<SessionInfo> {
  if (!current || refresh) {
    current = request<SessionInfo>('GET', '/api/session').then(
      (s) => ((csrf = s.csrfToken), s),
      (err: unknown) => ((current = undefined), Promise.reject(err)),
    );
  }
  return current;
}

/** After login or setup: the answer's token belongs to the new session. */
export function rememberCsrf(token: string | undefined): void {
  csrf = token;
  current = undefined;
}

/** Where the login page sends the owner back to: a path of this site only. */
export function safeNext(next: string | null | undefined): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}

export function loginUrl(expired: boolean): string {
  const next = encodeURIComponent(location.pathname + location.search + location.hash);
  return `/login?next=${next}${expired ? '&expired=1' : ''}`;
}

async function request<T>(method: string, path: string, body?: unknown, retried = false, quiet = false): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD') headers['x-sil-csrf'] = csrf ?? (await session()).csrfToken;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (err) {
    throw new ApiError(0, { message: (err as Error).message });
  }
  const text = await res.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (res.ok) return data as T;
  const e = (data as { error?: ConstructorParameters<typeof ApiError>[1] } | undefined)?.error ?? { message: text.slice(0, 200) || res.statusText };
  const retryAfter = res.headers.get('retry-after');
  const error = new ApiError(res.status, e, retryAfter && /^\d+$/.test(retryAfter) ? Number(retryAfter) : undefined);
  if (error.code === 'SIL_CSRF' && !retried) {
    // The token belongs to an older session (a login in another tab): fetch the current one once.
    await session(true);
    return request<T>(method, path, body, true, quiet);
  }
  if (error.code === 'SIL_SESSION_REQUIRED' && !quiet) {
    rememberCsrf(undefined);
    location.assign(loginUrl(true));
  }
  throw error;
}

export const api = {
  get<T = unknown>(path: string): Promise<T> {
    return request<T>('GET', path);
  },
  /**
   * A GET for something shown in passing (the top bar's alert count): an ended session makes it
   * fail quietly instead of going to the login page, which the page's own session check does — two
   * navigations at once would cut each other off.
   */
  peek<T = unknown>(path: string): Promise<T> {
    return request<T>('GET', path, undefined, false, true);
  },
  send<T = unknown>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
    return request<T>(method, path, body);
  },
};
