// Which headers cross the proxy. Callers' credentials, cookies and hop-by-hop headers never
// reach a provider; providers' cookies and hop-by-hop headers never reach a caller.
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host', 'content-length'];
const CALLER_SECRETS = ['authorization', 'cookie', 'x-sil-key', 'x-api-key', 'api-key', 'x-goog-api-key', 'forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-real-ip'];
const DROP_UP = new Set([...HOP_BY_HOP, ...CALLER_SECRETS]);
// Content-Encoding crosses: the provider's bytes reach the caller as they came (never decoded
// and re-encoded); the proxy decodes a copy only to read usage.
const DROP_DOWN = new Set([...HOP_BY_HOP, 'set-cookie']);

/** Caller headers a provider may see (pass-through door): content negotiation and the like. */
export function forwardableRequestHeaders(headers: Readonly<Record<string, string | string[] | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  const listed = String(headers.connection ?? '').toLowerCase().split(',').map((s) => s.trim());
  for (const [name, value] of Object.entries(headers)) {
    const n = name.toLowerCase();
    if (value === undefined || DROP_UP.has(n) || listed.includes(n) || n.startsWith('x-sil-') || n.startsWith('proxy-')) continue;
    out[n] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** Provider response headers passed to the caller. */
export function forwardableResponseHeaders(headers: Readonly<Record<string, string | string[] | undefined>>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const name in headers) {
    const value = headers[name];
    const n = name.toLowerCase();
    if (value === undefined || DROP_DOWN.has(n)) continue;
    out[n] = value;
  }
  return out;
}
