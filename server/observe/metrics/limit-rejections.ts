// sil_limit_rejections_total per policy and limit kind. The limiter's own count (by policy) is
// used when a limiter reports one; until then, the proxy's refusals are counted by error code
// with policy "unknown". Policy names are bounded by the live config ("other" for the rest).
import type { LimitKind, LimitStatusSource } from '../../limits/limit-status.ts';
import type { ConfigSnapshot } from '../../config/snapshot.ts';
import { OTHER } from './label-bounds.ts';
import type { LabelledValue } from './circuit-levels.ts';

const KIND_OF_CODE: Readonly<Record<string, LimitKind>> = {
  SIL_LIMIT_RATE: 'rate',
  SIL_LIMIT_QUOTA_REQUESTS: 'quota.requests',
  SIL_LIMIT_QUOTA_TOKENS: 'quota.tokens',
  SIL_LIMIT_BUDGET: 'budget',
};
const KINDS = new Set<string>(Object.values(KIND_OF_CODE));

function add(out: Map<string, LabelledValue>, policy: string, limit: string, n: number): void {
  const key = `${policy}|${limit}`;
  const found = out.get(key);
  if (found) found.value += n;
  else out.set(key, { labels: { policy, limit }, value: n });
}

export function limitRejections(snapshot: ConfigSnapshot | null, limiter: LimitStatusSource | undefined, byCode: ReadonlyMap<string, number>): LabelledValue[] {
  const out = new Map<string, LabelledValue>();
  if (limiter) {
    for (const [key, n] of limiter.rejections()) {
      const bar = key.lastIndexOf('|');
      const policy = key.slice(0, bar);
      const kind = key.slice(bar + 1);
      add(out, snapshot?.policies.has(policy) ? policy : OTHER, KINDS.has(kind) ? kind : OTHER, n);
    }
  } else {
    for (const [code, n] of byCode) add(out, 'unknown', KIND_OF_CODE[code] ?? OTHER, n);
  }
  return [...out.values()];
}
