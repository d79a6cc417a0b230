// Counter names: `<limit>|<policy>|<attached kind>|<scope>` for a rate bucket, and the start of
// the window appended for quotas and budgets (`...|<window start ms>`), so a new period starts a
// new counter and the old one simply expires. Names, scopes and kinds never hold `|`.
import type { LimitKind } from './limit-status.ts';
import type { AttachKind } from './compiled-policy.ts';

export function counterKey(kind: LimitKind, policy: string, attachKind: AttachKind, scope: string, windowStart?: number): string {
  return windowStart === undefined ? `${kind}|${policy}|${attachKind}|${scope}` : `${kind}|${policy}|${attachKind}|${scope}|${windowStart}`;
}

export interface ParsedKey {
  kind: LimitKind;
  policy: string;
  attachKind: AttachKind;
  scope: string;
  windowStart?: number;
}

const KINDS = new Set<string>(['rate', 'quota.requests', 'quota.tokens', 'budget']);
const ATTACH = new Set<string>(['client', 'binding', 'provider']);

export function parseCounterKey(key: string): ParsedKey | null {
  const parts = key.split('|');
  if (parts.length < 4 || parts.length > 5 || !KINDS.has(parts[0]) || !ATTACH.has(parts[2])) return null;
  const out: ParsedKey = { kind: parts[0] as LimitKind, policy: parts[1], attachKind: parts[2] as AttachKind, scope: parts[3] };
  if (parts.length === 5) {
    const start = Number(parts[4]);
    if (!Number.isFinite(start)) return null;
    out.windowStart = start;
  }
  return out;
}
