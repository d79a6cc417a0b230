// key-rotation: active keys due for rotation within the warning window, or overdue — from the
// keys' rotated/created dates and the provider's rotation period (keyRotationDays, default
// sil.yaml defaults.keyRotationDays). Only metadata is read, never a secret.
import type { ConfigSnapshot } from '../../../config/snapshot.ts';
import type { ProviderKey } from '../../../../schemas/types.gen.ts';
import { rotationDueInDays } from '../../../vault/keyring.ts';
import type { Recommendation } from '../types.ts';
import { THRESHOLDS } from './thresholds.ts';
import { LINKS } from './format.ts';

export function keyRotations(snapshot: Pick<ConfigSnapshot, 'providers' | 'keyrings'>, now: number): Recommendation[] {
  const out: Recommendation[] = [];
  for (const [id, keyring] of snapshot.keyrings) {
    const provider = snapshot.providers.get(id);
    if (!provider) continue;
    const period = provider.keyRotationDays;
    for (const key of keyring.keys) {
      if (key.status !== 'active') continue;
      const due = rotationDueInDays(key as ProviderKey, period, new Date(now));
      if (!Number.isFinite(due) || due > THRESHOLDS.rotationWarnDays) continue;
      const since = key.rotated ?? key.created;
      const sinceEvent = key.rotated ? 'rotated' : 'created';
      const name = `${id}/${key.id}`;
      out.push({
        id: `key-rotation:${id}/${key.id}`,
        kind: 'key-rotation',
        severity: due < 0 ? 'critical' : 'warning',
        title: due < 0 ? `${id}/${key.id}: rotation is overdue by ${-due} day${due === -1 ? '' : 's'}` : `${id}/${key.id}: rotation is due ${due === 0 ? 'today' : `in ${due} day${due === 1 ? '' : 's'}`}`,
        detail: `The key was ${key.rotated ? 'last rotated' : 'created'} ${since.slice(0, 10)}; ${id} rotates keys every ${period} days. Rotate it (the old key keeps working through the grace period) or stage a new one.`,
        text: {
          id: due < 0 ? 'key-rotation.overdue' : due === 0 ? 'key-rotation.due-today' : 'key-rotation.due',
          params: { key: name, provider: id, keyId: key.id, sinceEvent, [sinceEvent]: Date.parse(since), rotationDays: period, ...(due < 0 ? { daysOverdue: -due } : { daysUntilDue: due }) },
        },
        evidence: { key: name, fingerprint: key.fingerprint, [sinceEvent]: since.slice(0, 10), rotationDays: period, daysUntilDue: due },
        action: { id: 'rotate-key', label: `Rotate ${key.id}`, href: LINKS.provider(id) },
      });
    }
  }
  return out;
}
