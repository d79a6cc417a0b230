// Who may read /metrics (docs/metrics.md), decided from sil.yaml's `metrics` block:
// - no block: callers on this machine only (loopback, and not relayed by an unlisted proxy);
// - a block: an address in `metrics.allowlist`, or `Authorization: Bearer <token>` whose SHA-256
//   is `metrics.scrapeTokenSha256`, and nobody else. The block replaces the loopback default:
//   list 127.0.0.1 / ::1 to keep scraping from this machine without the token;
// - no config live yet: loopback only.
// The address is the one the rest of the hub uses (remote-address.ts: trustedProxies honoured).
import { createHash, timingSafeEqual } from 'node:crypto';
import { compileAllowlist, type CompiledAllowlist } from '../../core/cidr.ts';
import { isLocalCaller } from '../../core/local-caller.ts';
import type { Settings } from '../../config/snapshot.ts';

export interface ScrapeCaller {
  /** The socket peer. */
  peer: string;
  /** Who the hub takes the caller to be (the peer, or X-Forwarded-For from a trusted proxy). */
  address: string;
  /** The request carries forwarding headers (X-Forwarded-For, Forwarded, X-Real-IP). */
  forwarded: boolean;
  authorization?: string;
}

export type ScrapeDecision =
  | { allowed: true; by: 'loopback' | 'allowlist' | 'token' }
  | { allowed: false; why: string };

type MetricsBlock = NonNullable<Settings['metrics']>;
const allowlists = new WeakMap<MetricsBlock, CompiledAllowlist>();

function allowlistOf(block: MetricsBlock): CompiledAllowlist {
  let list = allowlists.get(block);
  if (!list) allowlists.set(block, (list = compileAllowlist(block.allowlist ?? [])));
  return list;
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
function bearerToken(header: string | undefined): string | undefined {
  const m = header === undefined ? null : /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return m ? m[1] : undefined;
}

/** Constant-time comparison of sha256(token) with the configured hex digest. */
export function tokenMatches(token: string, sha256Hex: string): boolean {
  const want = Buffer.from(sha256Hex, 'hex');
  if (want.length !== 32) return false;
  return timingSafeEqual(createHash('sha256').update(token, 'utf8').digest(), want);
}

export function decideScrape(settings: Readonly<Settings> | undefined, caller: ScrapeCaller): ScrapeDecision {
  const block = settings?.metrics;
  if (!block) {
    if (isLocalCaller(caller.peer, caller.address, caller.forwarded)) return { allowed: true, by: 'loopback' };
    return {
      allowed: false,
      why: settings ? `${caller.address} is not on this machine, and sil.yaml has no metrics block (allowlist or scrape token)` : `${caller.address} is not on this machine, and no config is live yet`,
    };
  }
  // The allowlist is set membership: an empty or absent list admits no address.
  if (allowlistOf(block).contains(caller.address)) return { allowed: true, by: 'allowlist' };
  const token = bearerToken(caller.authorization);
  if (token !== undefined && block.scrapeTokenSha256 && tokenMatches(token, block.scrapeTokenSha256)) return { allowed: true, by: 'token' };
  if (token !== undefined) return { allowed: false, why: block.scrapeTokenSha256 ? 'the bearer token does not match metrics.scrapeTokenSha256' : 'sil.yaml sets no metrics.scrapeTokenSha256, so no token is accepted' };
  return { allowed: false, why: `${caller.address} is not in metrics.allowlist and no bearer token was sent` };
}
