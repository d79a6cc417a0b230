// The readable view of a provider's keys: metadata, never secrets.
import { rotationDueInDays } from './keyring.ts';
import type { ProviderState } from './key-ops.ts';

export interface KeyRow {
  id: string;
  label?: string;
  status: string;
  default: boolean;
  fingerprint: string;
  created: string;
  rotated?: string;
  expires?: string;
  retireAt?: string;
  rotationDueInDays?: number;
  line: string;
}

export function listKeys(state: ProviderState, now: Date): KeyRow[] {
  const period = state.provider.keyRotationDays ?? state.settings?.defaults?.keyRotationDays ?? 90;
  return state.keyring.keys.map((k) => {
    const due = k.status === 'active' ? rotationDueInDays(k, period, now) : undefined;
    const notes = [
      k.default ? 'default' : '',
      k.retireAt ? `retires ${k.retireAt}` : '',
      k.expires ? `expires ${k.expires}` : '',
      due === undefined ? '' : due < 0 ? `rotation overdue by ${-due} days` : `rotation due in ${due} days`,
    ].filter(Boolean);
    return {
      id: k.id,
      label: k.label,
      status: k.status,
      default: k.default === true,
      fingerprint: k.fingerprint,
      created: k.created,
      rotated: k.rotated,
      expires: k.expires,
      retireAt: k.retireAt,
      rotationDueInDays: due,
      line: `${k.id.padEnd(14)} ${k.status.padEnd(9)} ${k.fingerprint.padEnd(32)} ${k.label ?? ''}${notes.length ? `  (${notes.join('; ')})` : ''}`,
    };
  });
}
