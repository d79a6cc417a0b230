// Bundles are not JSON requests: an import sends the file as it is (YAML or JSON), an export is
// a file download. Same session, CSRF header and error shape as lib/api.ts.
import { ApiError, loginUrl, rememberCsrf, session } from '../../lib/api.ts';

async function fail(res: Response): Promise<never> {
  let body: { code?: string; message?: string; hint?: string; details?: unknown } = { message: res.statusText };
  try {
    body = ((await res.json()) as { error?: typeof body }).error ?? body;
  } catch { /* not JSON */ }
  const e = new ApiError(res.status, body);
  if (e.code === 'SIL_SESSION_REQUIRED') {
    rememberCsrf(undefined);
    location.assign(loginUrl(true));
  }
  throw e;
}

async function call(method: 'GET' | 'POST', path: string, text?: string, type?: string): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json, application/yaml' };
  if (method === 'POST') {
    headers['x-sil-csrf'] = (await session()).csrfToken;
    headers['content-type'] = type ?? 'application/yaml';
  }
  let res: Response;
  try {
    res = await fetch(path, { method, headers, credentials: 'same-origin', body: text });
  } catch (err) {
    throw new ApiError(0, { message: (err as Error).message });
  }
  return res.ok ? res : fail(res);
}

/** POST a bundle file (YAML or JSON) as it is; the answer is JSON. */
export async function postBundle<T>(path: string, text: string, type: string): Promise<T> {
  return (await (await call('POST', path, text, type)).json()) as T;
}

/** GET a file and hand it to the browser as a download named by Content-Disposition. */
export async function download(path: string, fallbackName: string): Promise<void> {
  const res = await call('GET', path);
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
