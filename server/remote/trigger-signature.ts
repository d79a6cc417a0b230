// Who may ask for a sync (POST /sync/trigger): a push notice signed with SIL_SYNC_SECRET in one
// of the forges' webhook formats. Every comparison is constant-time.
import { createHmac } from 'node:crypto';
import { safeEqual } from '../inbound/compare.ts';

export type TriggerHeaders = (name: string) => string | undefined;

/** The hex HMAC-SHA256 of the body, as GitHub, Gitea and Forgejo send it. */
export function bodySignature(secret: string, body: Buffer): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

/**
 * Whether the request carries a valid signature:
 * - `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>` (GitHub; Gitea and Forgejo send it too),
 * - `X-Gitea-Signature` / `X-Forgejo-Signature: <hex HMAC-SHA256>` (older Gitea, Forgejo),
 * - `X-Gitlab-Token: <the secret itself>` (GitLab).
 * A header present and wrong refuses the request even when another one would match.
 */
export function triggerSigned(secret: string, body: Buffer, header: TriggerHeaders): boolean {
  const hub = header('x-hub-signature-256');
  const forge = header('x-forgejo-signature') ?? header('x-gitea-signature');
  const gitlab = header('x-gitlab-token');
  if (hub === undefined && forge === undefined && gitlab === undefined) return false;
  const expected = bodySignature(secret, body);
  if (hub !== undefined && !safeEqual(hub.trim().toLowerCase(), `sha256=${expected}`)) return false;
  if (forge !== undefined && !safeEqual(forge.trim().toLowerCase(), expected)) return false;
  if (gitlab !== undefined && !safeEqual(gitlab, secret)) return false;
  return true;
}
