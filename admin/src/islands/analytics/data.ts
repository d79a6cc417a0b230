// The analytics screens' reads: the analytics API for a query, and the names the filters offer
// (bindings, providers, clients from their list endpoints; models from the breakdown). Each read
// waits for the session gate (bindings/data.ts), so a signed-out visit goes to the login once.
import { useEffect, useState } from 'preact/hooks';
import { get } from '../bindings/data.ts';
import { lang } from '../../i18n/index.ts';
import { formatLocale, formats, type Formats } from '../../lib/analytics-format.ts';
import { paths, type AnalyticsQuery, type BreakdownAnswer, type FilterName } from '../../lib/analytics.ts';

export { get };

/** An API read that follows its path: null while loading, the answer, or the error. */
export function useRead<T>(path: string | null): { data: T | null; error: unknown } {
  const [state, setState] = useState<{ path: string | null; data: T | null; error: unknown }>({ path: null, data: null, error: null });
  useEffect(() => {
    if (!path) return;
    let live = true;
    setState({ path, data: null, error: null });
    get<T>(path).then(
      (data) => live && setState({ path, data, error: null }),
      (error: unknown) => live && setState({ path, data: null, error }),
    );
    return () => {
      live = false;
    };
  }, [path]);
  return state.path === path ? state : { data: null, error: null };
}

export type Choices = Record<FilterName, string[]>;

const names = (items: { name?: string; id?: string }[] | undefined) => (items ?? []).map((i) => i.name ?? i.id ?? '').filter(Boolean).sort();

/** What each filter offers; a list that cannot be read offers nothing (the filter stays usable by URL). */
export async function loadChoices(q: AnalyticsQuery): Promise<Choices> {
  const quiet = <T,>(p: Promise<T>) => p.catch(() => undefined);
  const [b, p, c, m] = await Promise.all([
    quiet(get<{ bindings: { name: string }[] }>('/api/bindings')),
    quiet(get<{ providers: { id: string }[] }>('/api/providers')),
    quiet(get<{ clients: { name: string }[] }>('/api/clients')),
    quiet(get<BreakdownAnswer>(paths.breakdown({ ...q, filter: {} }, 'model'))),
  ]);
  return { binding: names(b?.bindings), provider: names(p?.providers), client: names(c?.clients), model: (m?.rows ?? []).map((r) => r.key).sort() };
}

/** The formats of the page's language (lib/analytics-format.ts). */
export function pageFormats(): Formats {
  return formats(formatLocale(lang(), typeof navigator === 'undefined' ? [] : navigator.languages));
}
