// Figures for the evidence tables and texts: percentages, money, times in the owner's zone.
import { wallTime } from '../../../core/time-zone.ts';

export const percent = (share: number | null): string => (share === null ? '—' : `${(Math.round(share * 1000) / 10).toFixed(1)} %`);

export const money = (amount: number, currency: string): string => `${amount < 0.01 && amount > 0 ? amount.toPrecision(2) : amount.toFixed(2)} ${currency}`;

const pad = (n: number) => String(n).padStart(2, '0');

/** `2026-05-20 14:00 (Asia/Riyadh)`: a wall-clock time in the zone. */
export function localTime(ms: number, timeZone: string): string {
  const w = wallTime(ms, timeZone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)} (${timeZone})`;
}

/** Console pages an action may point at (admin/src/pages). */
export const LINKS = {
  binding: (name: string) => `/bindings?name=${encodeURIComponent(name)}`,
  provider: (id: string) => `/providers/view?id=${encodeURIComponent(id)}`,
  client: (name: string) => `/clients?name=${encodeURIComponent(name)}`,
  settings: () => '/settings',
};

/** The console page of what a policy is attached to. */
export function attachedLink(kind: 'client' | 'binding' | 'provider', name: string): string {
  // A client-binding scope names both ("web/chat").
  const [client, binding] = name.includes('/') ? name.split('/', 2) : [name, name];
  if (kind === 'client') return LINKS.client(client);
  return kind === 'binding' ? LINKS.binding(binding) : LINKS.provider(name);
}
