// aws-sigv4: AWS Signature Version 4 (`Authorization: AWS4-HMAC-SHA256 Credential=...,
// SignedHeaders=..., Signature=...`), computed by the aws4 library. Pure: no I/O.
//
// Before signing, the request gets
// - `Host` (the URL's host, port included): signed, and sent as it is;
// - `X-Amz-Date` from ctx.now() (the signing time);
// - `X-Amz-Security-Token` when `sessionToken` renders non-empty (temporary credentials; an
//   optional credential the key lacks counts as none);
// - for S3 (service `s3`), `X-Amz-Content-Sha256`: the hex SHA-256 of the body, which S3 requires.
// Every other header is signed as well, except those a hop may change (Content-Length,
// Connection, Transfer-Encoding, ...) and those AWS never signs (User-Agent, Expect, Range, ...).
// The query is rewritten in the form that was signed (RFC 3986, `%20` for a space), so that what
// is sent is what was signed; the path is sent as it is and double-encoded in the signature
// (single for S3), as AWS does.
import { createHash } from 'node:crypto';
import aws4 from 'aws4';
import type { AuthAwsSigV4 } from '../../schemas/types.gen.ts';
import { SilError } from '../errors.ts';
import { renderValue } from './render-value.ts';
import { copyRequest, deleteHeader, setHeader, type AuthContext, type RequestParts } from './types.ts';

const WHAT = 'auth aws-sigv4';

/** Headers left out of the signature (aws4 also leaves out authorization, connection, user-agent, expect, range, x-amzn-trace-id, presigned-expires). */
const UNSIGNED_HEADERS = ['content-length', 'transfer-encoding', 'te', 'keep-alive', 'upgrade', 'trailer', 'proxy-authorization', 'proxy-connection', 'cache-control', 'pragma', 'max-forwards', 'via', 'from', 'referer'];

/** Renders an optional field: a credential the key lacks counts as empty. */
function optional(text: string | undefined, ctx: AuthContext, where: string): string {
  if (text === undefined) return '';
  try {
    return renderValue(text, ctx, where, { encoding: 'header' });
  } catch (err) {
    if (err instanceof SilError && err.code === 'SIL_AUTH_MISSING_SECRET') return '';
    throw err;
  }
}

function required(text: string, ctx: AuthContext, field: string, secret: boolean): string {
  const value = renderValue(text, ctx, `${WHAT}: ${field}`, { encoding: 'header' });
  if (value === '') throw new SilError(secret ? 'SIL_AUTH_MISSING_SECRET' : 'SIL_INTERNAL', `${WHAT}: ${field} (${text}) renders empty`);
  return value;
}

/** `20250102T030405Z`. */
export function amzDate(date: Date): string {
  return date.toISOString().replace(/[:-]|\.\d{3}/g, '');
}

function bodyBuffer(body: RequestParts['body']): Buffer | string {
  if (body === undefined) return '';
  if (typeof body === 'string') return body;
  return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}

export function applyAwsSigV4(scheme: AuthAwsSigV4, req: RequestParts, ctx: AuthContext): RequestParts {
  const accessKeyId = required(scheme.accessKeyId, ctx, 'accessKeyId', true);
  const secretAccessKey = required(scheme.secretAccessKey, ctx, 'secretAccessKey', true);
  const region = required(scheme.region, ctx, 'region', false);
  const service = required(scheme.service, ctx, 'service', false);
  const sessionToken = optional(scheme.sessionToken, ctx, `${WHAT}: sessionToken`);

  const out = copyRequest(req);
  const method = out.method.toUpperCase();
  const body = bodyBuffer(out.body);
  const datetime = amzDate(ctx.now());
  for (const name of ['authorization', 'host', 'x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256']) deleteHeader(out.headers, name);
  setHeader(out.headers, 'Host', out.url.host);
  setHeader(out.headers, 'X-Amz-Date', datetime);
  if (sessionToken !== '') setHeader(out.headers, 'X-Amz-Security-Token', sessionToken);
  if (service === 's3') setHeader(out.headers, 'X-Amz-Content-Sha256', createHash('sha256').update(body).digest('hex'));

  const request: aws4.Request & { extraHeadersToIgnore: Record<string, boolean> } = {
    host: out.url.hostname,
    method,
    path: `${out.url.pathname}${out.url.search}`,
    headers: { ...out.headers },
    body,
    service,
    region,
    doNotModifyHeaders: true,
    extraHeadersToIgnore: Object.fromEntries(UNSIGNED_HEADERS.map((h) => [h, true])),
  };
  let signed: aws4.Request;
  try {
    const signer = new aws4.RequestSigner(request, { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) });
    signer.datetime = datetime;
    signed = signer.sign();
  } catch (err) {
    // A malformed percent-encoding in the path or query (URIError): no value in the message.
    throw new SilError('SIL_AUTH_UNSUPPORTED', `${WHAT}: the request cannot be signed (${(err as Error).name})`, { cause: err });
  }
  const authorization = (signed.headers as Record<string, unknown> | undefined)?.Authorization;
  if (typeof authorization !== 'string') throw new SilError('SIL_INTERNAL', `${WHAT}: the signer returned no Authorization header`);
  setHeader(out.headers, 'Authorization', authorization);
  // The query as it was signed (the path too, when the signer had to encode it).
  // Set apart, not `new URL(path, origin)`: a path starting with `//` would name another host.
  const signedPath = signed.path ?? '/';
  const q = signedPath.indexOf('?');
  out.url.pathname = q < 0 ? signedPath : signedPath.slice(0, q);
  out.url.search = q < 0 ? '' : signedPath.slice(q + 1);
  out.method = method;
  return out;
}
