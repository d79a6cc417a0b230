// An AWS Signature Version 4 check as AWS does it on its side, written from the AWS documentation
// ("Create a signed AWS API request": canonical request, string to sign, signing key) with
// node:crypto only, independent of the signing library the hub uses. A mock AWS endpoint runs
// it on what it received: the raw request target, the headers, the body bytes.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export interface AwsCredentials { accessKeyId: string; secretAccessKey: string; sessionToken?: string }
export interface SigV4Check { region: string; service: string; now: Date; maxSkewSeconds?: number }
export interface ReceivedRequest { method: string; target: string; headers: IncomingHttpHeaders; body: Buffer }
export type SigV4Result = { ok: true; signedHeaders: string[]; canonicalRequest: string } | { ok: false; code: string; reason: string };

const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

/** AWS's UriEncode: every byte but A-Z a-z 0-9 - _ . ~ as %XX (upper case); `/` kept when asked. */
export function uriEncode(value: string, keepSlash = false): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.~]/.test(c) || (keepSlash && c === '/')) out += c;
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * CanonicalURI. S3: the path decoded and encoded once, as it is. Other services: the path
 * normalized (empty, `.` and `..` segments resolved) and each segment of the path as sent
 * encoded again ("URI-encoded twice").
 */
function canonicalUri(rawPath: string, service: string): string {
  if (rawPath === '' || rawPath === '/') return '/';
  if (service === 's3') return uriEncode(decodeURIComponent(rawPath), true);
  const segments: string[] = [];
  for (const s of rawPath.split('/')) {
    if (s === '' || s === '.') continue;
    if (s === '..') segments.pop();
    else segments.push(s);
  }
  const trailing = rawPath.endsWith('/') && segments.length > 0 ? '/' : '';
  return `/${segments.map((s) => uriEncode(s)).join('/')}${trailing}`;
}

/** CanonicalQueryString: names and values decoded, UriEncoded, sorted by name then value. */
function canonicalQuery(rawQuery: string): string {
  if (rawQuery === '') return '';
  const pairs = rawQuery.split('&').filter((p) => p !== '').map((p) => {
    const eq = p.indexOf('=');
    const name = decodeURIComponent(eq < 0 ? p : p.slice(0, eq));
    const value = eq < 0 ? '' : decodeURIComponent(p.slice(eq + 1));
    return [uriEncode(name), uriEncode(value)] as const;
  });
  pairs.sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) : a[0] < b[0] ? -1 : 1));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v.join(',') : String(v);
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function verifySigV4(req: ReceivedRequest, creds: AwsCredentials, check: SigV4Check): SigV4Result {
  const fail = (code: string, reason: string): SigV4Result => ({ ok: false, code, reason });
  const auth = headerValue(req.headers, 'authorization') ?? '';
  const m = /^AWS4-HMAC-SHA256 Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/.exec(auth);
  if (!m) return fail('IncompleteSignature', 'no AWS4-HMAC-SHA256 Authorization header');
  const [accessKeyId, date, region, service, terminator, ...rest] = m[1].split('/');
  if (rest.length > 0 || terminator !== 'aws4_request') return fail('IncompleteSignature', 'credential scope');
  if (accessKeyId !== creds.accessKeyId) return fail('InvalidClientTokenId', 'unknown access key');
  if (region !== check.region) return fail('SignatureDoesNotMatch', `region ${region}, expected ${check.region}`);
  if (service !== check.service) return fail('SignatureDoesNotMatch', `service ${service}, expected ${check.service}`);

  const amzDate = headerValue(req.headers, 'x-amz-date') ?? '';
  const dm = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!dm) return fail('IncompleteSignature', 'no X-Amz-Date');
  if (amzDate.slice(0, 8) !== date) return fail('SignatureDoesNotMatch', 'the scope date is not the X-Amz-Date date');
  const signedAt = Date.UTC(+dm[1], +dm[2] - 1, +dm[3], +dm[4], +dm[5], +dm[6]);
  if (Math.abs(signedAt - check.now.getTime()) > (check.maxSkewSeconds ?? 300) * 1000) return fail('RequestTimeTooSkewed', 'signed too long ago or ahead');

  const signedHeaders = m[2].split(';');
  const sorted = [...signedHeaders].sort();
  if (signedHeaders.some((h, i) => h !== sorted[i] || h !== h.toLowerCase())) return fail('SignatureDoesNotMatch', 'SignedHeaders not sorted lower case');
  if (!signedHeaders.includes('host')) return fail('SignatureDoesNotMatch', 'host is not signed');
  if (!signedHeaders.includes('x-amz-date')) return fail('SignatureDoesNotMatch', 'x-amz-date is not signed');

  const token = headerValue(req.headers, 'x-amz-security-token');
  if (creds.sessionToken !== undefined) {
    if (token !== creds.sessionToken) return fail('InvalidClientTokenId', 'the security token is missing or wrong');
    if (!signedHeaders.includes('x-amz-security-token')) return fail('SignatureDoesNotMatch', 'x-amz-security-token is not signed');
  } else if (token !== undefined) return fail('InvalidClientTokenId', 'a security token for long-term credentials');

  let payloadHash = sha256Hex(req.body);
  if (check.service === 's3') {
    const declared = headerValue(req.headers, 'x-amz-content-sha256');
    if (declared === undefined) return fail('InvalidRequest', 'Missing required header for this request: x-amz-content-sha256');
    if (declared !== payloadHash) return fail('XAmzContentSHA256Mismatch', 'the body does not hash to x-amz-content-sha256');
    if (!signedHeaders.includes('x-amz-content-sha256')) return fail('SignatureDoesNotMatch', 'x-amz-content-sha256 is not signed');
    payloadHash = declared;
  }

  const q = req.target.indexOf('?');
  const rawPath = q < 0 ? req.target : req.target.slice(0, q);
  const rawQuery = q < 0 ? '' : req.target.slice(q + 1);
  const canonicalHeaders = signedHeaders.map((h) => {
    const v = headerValue(req.headers, h);
    return `${h}:${(v ?? '').trim().replace(/ +/g, ' ')}\n`;
  }).join('');
  if (signedHeaders.some((h) => headerValue(req.headers, h) === undefined)) return fail('SignatureDoesNotMatch', 'a signed header was not sent');

  const canonicalRequest = [req.method.toUpperCase(), canonicalUri(rawPath, check.service), canonicalQuery(rawQuery), canonicalHeaders, signedHeaders.join(';'), payloadHash].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const kDate = hmac(`AWS4${creds.secretAccessKey}`, date);
  const kRegion = hmac(kDate, region);
  const kService = hmac(kRegion, service);
  const kSigning = hmac(kService, 'aws4_request');
  const expected = createHmac('sha256', kSigning).update(stringToSign, 'utf8').digest('hex');
  if (!same(expected, m[3])) return fail('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
  return { ok: true, signedHeaders, canonicalRequest };
}
