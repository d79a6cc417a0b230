// The data-described HMAC scheme: `algorithm` over `signedPayload` (${body}, ${timestamp},
// ${url} and literal text, byte for byte), encoded hex or base64, found in `header` laid out as
// `format`. A key=value list format (Stripe's `t=${timestamp},v1=${signature}`) may carry the
// signature key several times (Stripe during secret rolling) and other keys (v0): any matching
// value passes. Stripe: https://docs.stripe.com/webhooks#verify-manually; Razorpay: hex
// HMAC-SHA256 of the raw body (razorpay-node validateWebhookSignature).
import { createHmac } from 'node:crypto';
import { outsideWindow, safeEqual, sha256Hex } from '../compare.ts';
import { refuse, type SchemeInput, type Verdict } from '../types.ts';

interface Parsed { timestamp?: string; signatures: string[] }

const KV_PART = /^\s*([^=\s]+)=\$\{\s*(timestamp|signature)\s*\}\s*$/;

/** The timestamp and signatures in a header laid out as `format` (default: the bare signature). */
export function parseSignatureHeader(value: string, format: string | undefined): Parsed | null {
  if (!format || /^\s*\$\{\s*signature\s*\}\s*$/.test(format)) return { signatures: [value.trim()] };
  const parts = format.split(',').map((p) => KV_PART.exec(p));
  if (parts.every((m) => m !== null)) {
    const keyOf = new Map(parts.map((m) => [m![1], m![2]]));
    const out: Parsed = { signatures: [] };
    for (const item of value.split(',')) {
      const eq = item.indexOf('=');
      if (eq < 0) continue;
      const role = keyOf.get(item.slice(0, eq).trim());
      const v = item.slice(eq + 1).trim();
      if (role === 'signature') out.signatures.push(v);
      else if (role === 'timestamp' && out.timestamp === undefined) out.timestamp = v;
    }
    return out;
  }
  // Any other layout (`sha256=${signature}`): the literal text around the placeholders must match.
  const names: string[] = [];
  const pattern = format.replace(/\$\{\s*(timestamp|signature)\s*\}|[.*+?^${}()|[\]\\]/g, (m, name?: string) => {
    if (!name) return `\\${m}`;
    names.push(name);
    return name === 'timestamp' ? '(\\d+)' : '(\\S+?)';
  });
  const m = new RegExp(`^${pattern}$`).exec(value.trim());
  if (!m) return null;
  const out: Parsed = { signatures: [] };
  names.forEach((n, i) => (n === 'timestamp' ? (out.timestamp = m[i + 1]) : out.signatures.push(m[i + 1])));
  return out;
}

/** The bytes signed: `signedPayload` with ${body} as the raw body, ${timestamp} and ${url}. */
export function signedBytes(template: string, parts: { body: Buffer; timestamp?: string; url: string }): Buffer {
  const chunks: Buffer[] = [];
  let last = 0;
  for (const m of template.matchAll(/\$\{\s*(body|timestamp|url)\s*\}/g)) {
    chunks.push(Buffer.from(template.slice(last, m.index), 'utf8'));
    const name = m[1];
    chunks.push(name === 'body' ? parts.body : Buffer.from(name === 'url' ? parts.url : (parts.timestamp ?? ''), 'utf8'));
    last = m.index + m[0].length;
  }
  chunks.push(Buffer.from(template.slice(last), 'utf8'));
  return Buffer.concat(chunks);
}

export function verifyHmac({ req, spec, secrets, now }: SchemeInput): Verdict {
  const value = req.header(spec.header);
  if (!value) return refuse('signature', `the ${spec.header} header is missing`);
  const parsed = parseSignatureHeader(value, spec.format);
  if (!parsed || parsed.signatures.length === 0) return refuse('signature', `the ${spec.header} header is not laid out as ${spec.format ?? 'the bare signature'}`);
  const template = spec.signedPayload ?? '${body}';
  const usesTimestamp = /\$\{\s*timestamp\s*\}/.test(template);
  if (usesTimestamp && parsed.timestamp === undefined) return refuse('signature', `the ${spec.header} header carries no timestamp`);
  if (secrets.length === 0) return refuse('not-configured', 'no key of the provider holds the webhook secret');
  const algorithm = (spec.algorithm ?? 'hmac-sha256').slice('hmac-'.length);
  const encoding = spec.encoding ?? 'hex';
  const data = signedBytes(template, { body: req.body, timestamp: parsed.timestamp, url: req.url });
  const received = parsed.signatures.map((s) => (encoding === 'hex' ? s.toLowerCase() : s));
  let matched: string | undefined;
  for (const secret of secrets) {
    const expected = createHmac(algorithm, secret).update(data).digest(encoding);
    // Every candidate is compared (no early exit on the first match) so timing says nothing.
    for (const r of received) if (safeEqual(expected, r)) matched ??= r;
  }
  if (!matched) return refuse('signature', `no signature in ${spec.header} matches the body`);
  if (parsed.timestamp !== undefined) {
    const stale = outsideWindow(Number(parsed.timestamp), now, spec.toleranceSeconds);
    if (stale) return stale;
  }
  return { ok: true, digest: sha256Hex(`${parsed.timestamp ?? ''}|${matched}`), ...(parsed.timestamp !== undefined ? { timestamp: Number(parsed.timestamp) } : {}) };
}
