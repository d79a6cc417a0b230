// What the policies screen reads: the policies, what names each (clients, bindings, providers),
// the hub's time zone, and the limiter's live counters (GET /api/limits), read again every few seconds while the list is open.
import { useEffect, useState } from 'preact/hooks';
import { get } from '../bindings/data.ts';
import { lang } from '../../i18n/index.ts';
import { formatLocale, formats, type Formats } from '../../lib/analytics-format.ts';
import { attachmentsOf, type Attachment, type LimitStatus, type Policy } from '../../lib/policies.ts';

export { get };

export interface Overview { commit: string; policies: Policy[]; attached: Map<string, Attachment[]>; timeZone: string }
export interface LimitsAnswer { at: number; limits: LimitStatus[]; rejections: { policy: string; limit: string; count: number }[] }

export const REFRESH_SECONDS = 10;

export async function loadOverview(): Promise<Overview> {
  const [policies, clients, bindings, providers, settings] = await Promise.all([
    get<{ commit: string; policies: Policy[] }>('/api/policies'),
    get<{ clients: { name: string; policy?: string }[] }>('/api/clients'),
    get<{ bindings: { name: string; policy?: string }[] }>('/api/bindings'),
    get<{ providers: { id: string; policy?: string }[] }>('/api/providers'),
    get<{ settings: { timeZone?: string } }>('/api/settings').catch(() => ({ settings: {} as { timeZone?: string } })),
  ]);
  const from = { clients: clients.clients, bindings: bindings.bindings, providers: providers.providers };
  const list = [...policies.policies].sort((a, b) => (a.name < b.name ? -1 : 1));
  return {
    commit: policies.commit,
    policies: list,
    attached: new Map(list.map((p) => [p.name, attachmentsOf(p.name, from)])),
    timeZone: settings.settings.timeZone ?? 'UTC', // sil.yaml's default
  };
}

/** GET /api/limits now and every REFRESH_SECONDS (and on `refresh()`); the last answer or error. */
export function useLiveLimits(): { data: LimitsAnswer | null; error: unknown; refresh: () => void } {
  const [state, setState] = useState<{ data: LimitsAnswer | null; error: unknown }>({ data: null, error: null });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    get<LimitsAnswer>('/api/limits').then((data) => live && setState({ data, error: null }), (error: unknown) => live && setState((s) => ({ ...s, error })));
    const timer = setTimeout(() => setTick((n) => n + 1), REFRESH_SECONDS * 1000);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [tick]);
  return { ...state, refresh: () => setTick((n) => n + 1) };
}

/** Numbers and times in the page's language (lib/analytics-format.ts: Arabic-Indic digits in Arabic). */
export function pageFormats(): Formats {
  return formats(formatLocale(lang(), typeof navigator === 'undefined' ? [] : navigator.languages));
}
