// Twilio's X-Twilio-Signature (https://www.twilio.com/docs/usage/webhooks/webhooks-security):
// base64 HMAC-SHA1, keyed with the account's auth token, of the full URL Twilio called followed
// by every POST parameter name and value, sorted by name (twilio-node
// getExpectedTwilioSignature; repeated names: each value, sorted). A JSON body is not in the
// signature: the URL carries bodySHA256 (hex SHA-256 of the body) instead, which must match.
// Like twilio-node's validateRequest, the URL is tried as given, without its port and with the
// scheme's default port, since Twilio may sign either form.
import { createHmac } from 'node:crypto';
import { safeEqual, sha256Hex } from '../compare.ts';
import { refuse, type SchemeInput, type Verdict } from '../types.ts';

/** URL + sorted parameters, the string Twilio signs. */
export function twilioSignedString(url: string, params: URLSearchParams | null): string {
  if (!params) return url;
  const byName = new Map<string, string[]>();
  for (const [k, v] of params) byName.set(k, [...(byName.get(k) ?? []), v]);
  let out = url;
  for (const name of [...byName.keys()].sort()) for (const v of byName.get(name)!.sort()) out += name + v;
  return out;
}

export function urlVariants(url: string): string[] {
  const out = new Set([url]);
  try {
    const u = new URL(url);
    const defaultPort = u.protocol === 'https:' ? '443' : '80';
    // URL drops a default port when parsing: rebuild both spellings by hand.
    const rest = url.slice(url.indexOf('//') + 2);
    const hostEnd = rest.search(/[/?#]/);
    const authority = hostEnd < 0 ? rest : rest.slice(0, hostEnd);
    const tail = hostEnd < 0 ? '' : rest.slice(hostEnd);
    const hostOnly = authority.replace(/:\d+$/, '');
    out.add(`${u.protocol}//${hostOnly}${tail}`);
    if (!/:\d+$/.test(authority)) out.add(`${u.protocol}//${hostOnly}:${defaultPort}${tail}`);
  } catch {
    // not a URL: only the string as given
  }
  return [...out];
}

export function verifyTwilio({ req, spec, secrets }: SchemeInput): Verdict {
  const signature = req.header(spec.header);
  if (!signature) return refuse('signature', `the ${spec.header} header is missing`);
  if (secrets.length === 0) return refuse('not-configured', 'no key of the provider holds the auth token');
  let params: URLSearchParams | null = null;
  if (req.contentType === 'application/x-www-form-urlencoded') params = new URLSearchParams(req.body.toString('utf8'));
  else if (req.body.length > 0) {
    let declared: string | null = null;
    try {
      declared = new URL(req.url).searchParams.get('bodySHA256');
    } catch {
      declared = null;
    }
    if (!declared) return refuse('signature', 'a body that is not form-encoded must come with a bodySHA256 query parameter');
    if (!safeEqual(declared.toLowerCase(), sha256Hex(req.body))) return refuse('signature', 'bodySHA256 does not match the body');
  }
  let ok = false;
  for (const url of urlVariants(req.url)) {
    const data = twilioSignedString(url, params);
    for (const token of secrets) if (safeEqual(createHmac('sha1', token).update(data, 'utf8').digest('base64'), signature.trim())) ok = true;
  }
  if (!ok) return refuse('signature', `${spec.header} does not match the URL and parameters (the URL must be the one Twilio was given)`);
  return { ok: true, digest: sha256Hex(`${signature}|${req.url}`) };
}
