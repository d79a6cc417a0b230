// The console's plain TypeScript modules (admin/src/lib, admin/src/i18n): t() and its English
// fallback, how API errors are explained, the setup and login helpers. No browser needed.
import { describe, expect, it } from 'vitest';
import { fileURLToPath, pathToFileURL } from 'node:url';

// Loaded by path: admin/ has its own tsconfig (DOM, Vite), which the root tsc does not follow into.
const SRC = fileURLToPath(new URL('../../../admin/src/', import.meta.url));
const load = <T>(path: string): Promise<T> => import(pathToFileURL(SRC + path).href) as Promise<T>;

interface ApiErrorLike {
  status: number;
  code: string;
  message: string;
  hint: string;
  details: unknown;
  retryAfter?: number;
}
type ApiErrorClass = new (status: number, body: { code?: string; message?: string; hint?: string; details?: unknown }, retryAfter?: number) => ApiErrorLike;
interface ApiModule {
  ApiError: ApiErrorClass;
  safeNext(next: string | null): string;
}
interface ApiErrorModule {
  messageOf(e: ApiErrorLike): string;
  hintOf(e: ApiErrorLike): string;
  issuesOf(e: ApiErrorLike): { file: string; line?: number; column?: number; message: string; hint?: string }[];
  placeOf(i: { file: string; line?: number; column?: number }): string;
  isConflict(e: ApiErrorLike): boolean;
  conflictFiles(e: ApiErrorLike): string[];
  asApiError(e: unknown): ApiErrorLike;
}
interface I18nModule {
  t(key: string, vars?: Record<string, string | number>): string;
  tIn(lang: 'en' | 'ar', key: string, vars?: Record<string, string | number>): string;
  lang(): string;
  dir(lang?: 'en' | 'ar'): string;
  dictionaries: Record<'en' | 'ar', Record<string, string>>;
}

describe('console i18n', () => {
  it('renders keys with placeholders, falls back to English and then to the key', async () => {
    const i18n = await load<I18nModule>('i18n/index.ts');
    expect(i18n.lang()).toBe('en'); // no document: Astro's build-time render
    expect(i18n.t('nav.bindings')).toBe('Bindings');
    expect(i18n.tIn('ar', 'nav.bindings')).toBe('الارتباطات');
    expect(i18n.tIn('en', 'error.SIL_LOGIN_THROTTLED', { seconds: 4 })).toBe('Too many attempts in a short time. Wait 4 seconds and try again.');
    expect(i18n.tIn('ar', 'no.such.key')).toBe('no.such.key');
    i18n.dictionaries.en['test.only.english'] = 'Only English';
    expect(i18n.tIn('ar', 'test.only.english')).toBe('Only English');
    expect([i18n.dir('ar'), i18n.dir('en')]).toEqual(['rtl', 'ltr']);
  });
});

describe('API errors as the console shows them', () => {
  it('translates known codes, keeps the API\'s message for others, and says what a network failure means', async () => {
    const { ApiError } = await load<ApiModule>('lib/api.ts');
    const v = await load<ApiErrorModule>('lib/api-error.ts');
    const throttled = new ApiError(429, { code: 'SIL_LOGIN_THROTTLED', message: 'Wait 3 seconds before the next attempt.', hint: 'h' }, 3);
    expect(v.messageOf(throttled)).toBe('Too many attempts in a short time. Wait 3 seconds and try again.');
    const locked = new ApiError(429, { code: 'SIL_LOGIN_LOCKED', message: 'locked' }, 900);
    expect(v.messageOf(locked)).toBe('Login is locked after repeated failures. Try again in 15 minutes.');
    const other = new ApiError(400, { code: 'SIL_API_INPUT', message: 'unknown field "x"', hint: 'See GET /api/openapi.json' });
    expect([v.messageOf(other), v.hintOf(other)]).toEqual(['unknown field "x"', 'See GET /api/openapi.json']);
    expect(v.messageOf(new ApiError(0, { message: 'fetch failed' }))).toMatch(/^The hub did not answer/);
    expect(v.asApiError(new Error('boom')).message).toBe('boom');
  });

  it('lists the validator\'s issues with file:line:column', async () => {
    const { ApiError } = await load<ApiModule>('lib/api.ts');
    const v = await load<ApiErrorModule>('lib/api-error.ts');
    const e = new ApiError(422, {
      code: 'SIL_CONFIG_INVALID',
      message: 'refused',
      details: { issues: [{ file: 'bindings/chat.yaml', line: 7, column: 15, code: 'SIL_CONFIG_REFERENCE', message: 'target provider "x" does not exist', hint: 'create it' }, { nonsense: true }] },
    });
    const issues = v.issuesOf(e);
    expect(issues).toHaveLength(1);
    expect(v.placeOf(issues[0])).toBe('bindings/chat.yaml:7:15');
    expect(v.isConflict(e)).toBe(false);
  });

  it('recognises an edit conflict (409) and its files', async () => {
    const { ApiError } = await load<ApiModule>('lib/api.ts');
    const v = await load<ApiErrorModule>('lib/api-error.ts');
    const e = new ApiError(409, { code: 'SIL_GIT_CONFLICT', message: 'changed since 1a2b3c4', details: { base: 'a', head: 'b', files: ['providers/openai-main.yaml'] } });
    expect(v.isConflict(e)).toBe(true);
    expect(v.conflictFiles(e)).toEqual(['providers/openai-main.yaml']);
    expect(v.isConflict(new ApiError(409, { code: 'SIL_API_EXISTS' }))).toBe(false);
  });
});

describe('setup and login helpers', () => {
  it('reads the setup token from the fragment and checks the password pair', async () => {
    const s = await load<{
      setupToken(hash: string): string | null;
      passwordProblem(a: string, b: string): string | null;
      qrSource(svg?: string): string | undefined;
    }>('lib/setup.ts');
    const token = 'Z9YJL1x8c_we5es0JTmSrW4W-1Mte0bEK5jSvPuUf6w';
    expect(s.setupToken(`#${token}`)).toBe(token);
    expect(s.setupToken('')).toBeNull();
    expect(s.setupToken('#<script>')).toBeNull();
    expect(s.passwordProblem('short', 'short')).toBe('setup.tooShort');
    expect(s.passwordProblem('long enough passphrase', 'long enough passphrasE')).toBe('setup.mismatch');
    expect(s.passwordProblem('long enough passphrase', 'long enough passphrase')).toBeNull();
    expect(s.qrSource('<svg/>')).toBe('data:image/svg+xml;charset=utf-8,%3Csvg%2F%3E');
  });

  it('goes back only to paths of this site after login', async () => {
    const { safeNext } = await load<ApiModule>('lib/api.ts');
    const l = await load<{ loginNotice(search: string): { expired: boolean; loggedOut: boolean; next: string }; normaliseCode(c: string): string }>('lib/login.ts');
    expect(safeNext('/history?x=1')).toBe('/history?x=1');
    for (const bad of ['//evil.example/', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)', null]) expect(safeNext(bad)).toBe('/');
    expect(l.loginNotice('?next=%2Fsettings&expired=1')).toEqual({ expired: true, loggedOut: false, next: '/settings' });
    expect(l.normaliseCode(' 123 456x7')).toBe('123456');
  });
});
