// Standard Webhooks signing (https://www.standardwebhooks.com): `whsec_` + base64 secrets, and
// `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` signatures, several space-separated while a
// rotated secret is still in its overlap.
import { createHmac, randomBytes } from 'node:crypto';

export const SECRET_PREFIX = 'whsec_';

/** A new signing secret: 32 random bytes (the spec asks for 24 to 64). */
export function newSigningSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64');
}

export function isSigningSecret(value: string): boolean {
  if (!value.startsWith(SECRET_PREFIX)) return false;
  const key = Buffer.from(value.slice(SECRET_PREFIX.length), 'base64');
  return key.length >= 24 && key.length <= 64;
}

export function signOne(secret: string, id: string, timestampSeconds: number, body: string): string {
  const key = Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`).digest('base64')}`;
}

/** The three headers of a delivery; `secrets` newest first (all are used: receivers accept any). */
export function signatureHeaders(secrets: readonly string[], id: string, timestampSeconds: number, body: string): Record<string, string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': secrets.map((s) => signOne(s, id, timestampSeconds, body)).join(' '),
  };
}
