// What the hub reads from an accepted webhook: the payload (JSON, or form fields) and the
// event's id and type from the places the template names (`header:<name>`, `body:<path>`).
import type { InboundRequest } from './types.ts';

export type Payload = unknown;

export function parsePayload(req: InboundRequest): Payload {
  if (req.contentType === 'application/x-www-form-urlencoded') {
    const out: Record<string, string | string[]> = {};
    for (const [k, v] of new URLSearchParams(req.body.toString('utf8'))) {
      const prev = out[k];
      out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
    return out;
  }
  try {
    return JSON.parse(req.body.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** The value a locator points at, as a short string, or undefined. */
export function locate(locator: string | undefined, req: InboundRequest, payload: Payload): string | undefined {
  if (!locator) return undefined;
  const colon = locator.indexOf(':');
  const where = locator.slice(0, colon);
  const what = locator.slice(colon + 1);
  let value: unknown;
  if (where === 'header') value = req.header(what);
  else {
    value = payload;
    for (const part of what.split('.')) {
      if (value === null || typeof value !== 'object') return undefined;
      value = (value as Record<string, unknown>)[part];
    }
  }
  if (typeof value === 'number' || typeof value === 'boolean') value = String(value);
  return typeof value === 'string' && value !== '' ? value.slice(0, 200) : undefined;
}
