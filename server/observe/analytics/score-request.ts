// A caller's score applied to a request this instance answered (POST /v1/feedback): found only
// when the request is in the recent index and was made by the same client; counted only for the
// first score. Used by the feedback stage and by the relay that asks peers (server/cluster).
import type { ConfigSnapshot } from '../../config/snapshot.ts';
import { currencyOf, fingerprintOf } from '../usage-store/key-info.ts';
import type { UsageDims, UsageStore } from '../usage-store/types.ts';
import type { RecentRequests } from './recent-requests.ts';

export interface ScoreTarget {
  recent: RecentRequests;
  store?: Pick<UsageStore, 'addScore'>;
}

export function scoreRequest(t: ScoreTarget, snapshot: ConfigSnapshot | null, requestId: string, client: string, score: number, now: number): { found: boolean; counted: boolean } {
  const found = t.recent.find(requestId, now);
  // Another client's request is answered as unknown: its existence is not this caller's business.
  if (!found || found.client !== client) return { found: false, counted: false };
  const counted = t.recent.markScored(requestId);
  if (counted && t.store) {
    // The dims the usage store counted the request under (key-info.ts derives the same).
    const dims: UsageDims = { client, binding: found.binding, provider: found.provider, keyId: found.keyId, fingerprint: fingerprintOf(snapshot, found.provider, found.keyId), model: found.model, currency: found.currency || currencyOf(snapshot, found.provider, found.model) };
    t.store.addScore(dims, score, found.at);
  }
  return { found: true, counted };
}
