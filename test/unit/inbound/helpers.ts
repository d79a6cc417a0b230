// An InboundRequest from parts, for the scheme tests.
import type { InboundRequest } from '../../../server/inbound/types.ts';

export function inbound(parts: { url?: string; body: string | Buffer; contentType?: string; headers?: Record<string, string> }): InboundRequest {
  const headers = new Map(Object.entries(parts.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    url: parts.url ?? 'https://hub.example.test/hooks/p',
    body: Buffer.isBuffer(parts.body) ? parts.body : Buffer.from(parts.body, 'utf8'),
    contentType: parts.contentType ?? 'application/json',
    header: (name) => headers.get(name.toLowerCase()),
  };
}
