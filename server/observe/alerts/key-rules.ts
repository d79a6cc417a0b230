// Built-in key alerts from the live config's keyrings (metadata only, never a secret):
// rotation due within 14 days (warning) or overdue (critical), from the key's created/rotated
// date and the provider's rotation period (default 90 days, sil.yaml defaults.keyRotationDays);
// and an `expires` date within 14 days (warning) or passed (critical). One alert per key and
// concern: `key-rotation:<provider>/<key>` (its kind turns from due to overdue) and
// `key-expiring:<provider>/<key>`. Pure.
import type { ConfigSnapshot } from '../../config/snapshot.ts';
import type { ProviderKey } from '../../../schemas/types.gen.ts';
import { rotationDueInDays } from '../../vault/keyring.ts';
import type { AlertRaise } from './types.ts';

export const KEY_WARN_DAYS = 14;
const DAY = 86_400_000;
const days = (n: number) => `${n} day${n === 1 ? '' : 's'}`;

export function evaluateKeyRules(snapshot: Pick<ConfigSnapshot, 'providers' | 'keyrings'>, now: number): AlertRaise[] {
  const out: AlertRaise[] = [];
  for (const [id, keyring] of snapshot.keyrings) {
    const provider = snapshot.providers.get(id);
    if (!provider) continue;
    for (const key of keyring.keys) {
      const name = `${id}/${key.id}`;
      if (key.status === 'active') {
        const due = rotationDueInDays(key as ProviderKey, provider.keyRotationDays, new Date(now));
        if (Number.isFinite(due) && due <= KEY_WARN_DAYS) {
          const since = key.rotated ?? key.created;
          out.push({
            id: `key-rotation:${name}`,
            kind: due < 0 ? 'key-rotation-overdue' : 'key-rotation-due',
            subject: name,
            severity: due < 0 ? 'critical' : 'warning',
            title: due < 0 ? `${name}: key rotation is overdue by ${days(-due)}` : `${name}: key rotation is due ${due === 0 ? 'today' : `in ${days(due)}`}`,
            detail: `The key was ${key.rotated ? 'last rotated' : 'created'} ${since.slice(0, 10)}; ${id} rotates keys every ${provider.keyRotationDays} days. Rotate it (the old key keeps working through the grace period) or stage a new one.`,
            evidence: { key: name, fingerprint: key.fingerprint, [key.rotated ? 'rotated' : 'created']: since.slice(0, 10), rotationDays: provider.keyRotationDays, daysUntilDue: due },
          });
        }
      }
      if (key.expires && key.status !== 'revoked') {
        const left = Math.floor((Date.parse(key.expires) - now) / DAY);
        if (Number.isFinite(left) && left <= KEY_WARN_DAYS) {
          const expired = Date.parse(key.expires) <= now;
          out.push({
            id: `key-expiring:${name}`,
            kind: 'key-expiring',
            subject: name,
            severity: expired ? 'critical' : 'warning',
            title: expired ? `${name}: the key expired ${key.expires.slice(0, 10)}` : `${name}: the key expires ${left === 0 ? 'today' : `in ${days(left)}`}`,
            detail: `The provider's key ${key.id} (${key.status}) ${expired ? 'has passed' : 'reaches'} its expiry date ${key.expires.slice(0, 10)}: add or rotate in a new key before requests start failing.`,
            evidence: { key: name, fingerprint: key.fingerprint, expires: key.expires.slice(0, 10), daysLeft: left },
          });
        }
      }
    }
  }
  return out;
}
