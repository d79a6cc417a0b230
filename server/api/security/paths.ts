// Which part of the hub a request is for. The proxy doors (/v1/..., /bind/...) belong to client
// applications and have their own defences (client tokens, client IP allowlists, body limits);
// /healthz is for monitors. Everything else is the owner's: the console pages and /api.

/** /v1/... and /bind/...: the proxy, untouched by the console defences. */
export function isProxyPath(path: string): boolean {
  return path.startsWith('/v1/') || path === '/v1' || path.startsWith('/bind/');
}

export function isHealthPath(path: string): boolean {
  return path === '/healthz';
}

/** /api and /api/...: the owner's JSON API. */
export function isApiPath(path: string): boolean {
  return path === '/api' || path.startsWith('/api/');
}

/** Methods that change state: they need the CSRF defence. */
export function isUnsafeMethod(method: string): boolean {
  return method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS';
}
