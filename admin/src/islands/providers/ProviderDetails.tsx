// One provider (?id=): status and switch, services on/off, connection settings, keys with their
// lifecycle, health and recent errors. Every change is sent with the commit the page was read
// at as its base; the page reloads after each change, so the next change has a fresh base.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import { api } from '../../lib/api.ts';
import { type KeyMeta, type ProviderSummary } from '../../lib/providers.ts';
import ApiErrorView from '../ApiErrorView.tsx';
import type { Change, FullTemplate, Loaded } from './types.ts';
import ProviderHeader from './ProviderHeader.tsx';
import { problemText } from './ProviderCard.tsx';
import ServicesToggle from './ServicesToggle.tsx';
import ConnectionSettings from './ConnectionSettings.tsx';
import ProviderPolicy from './ProviderPolicy.tsx';
import KeyList from './KeyList.tsx';
import HealthPanel from './HealthPanel.tsx';


export default function ProviderDetails() {
  const id = useMemo(() => new URLSearchParams(location.search).get('id') ?? '', []);
  const [data, setData] = useState<Loaded | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function load() {
    try {
      const d = await api.get<{ commit: string; provider: Record<string, any>; summary: ProviderSummary }>(`/api/providers/${encodeURIComponent(id)}`);
      const [template, keys] = await Promise.all([
        d.provider.template ? api.get<{ template: FullTemplate }>(`/api/catalog/${d.provider.template}`).then((r) => r.template, () => null) : Promise.resolve((d.provider.definition as FullTemplate | undefined) ?? null),
        api.get<{ keys: KeyMeta[] }>(`/api/providers/${encodeURIComponent(id)}/keys`).then((r) => r.keys),
      ]);
      setData({ ...d, template, keys });
      setError(null);
    } catch (e) {
      setError(e);
    }
  }
  useEffect(() => {
    if (id) void load();
    else setError(new Error(t('providers.details.noId')));
  }, []);

  const change: Change = async (method, path, body = {}) => {
    const answer = await api.send<any>(method, path, { ...body, base: data!.commit });
    await load();
    return answer;
  };

  if (!data) return error ? <ApiErrorView error={error} /> : <p role="status">{t('providers.loading')}</p>;
  const { summary } = data;
  return (
    <article class="pv-details" aria-labelledby="pv-d-title">
      <ProviderHeader data={data} change={change} />
      {error ? <ApiErrorView error={error} /> : null}
      {/* The config's problems; the health monitor's reason is in the health panel. */}
      {summary.status === 'error' && summary.problems.length ? (
        <div class="pv-problems" role="alert">
          <h2>{t('providers.details.problems')}</h2>
          <ul>{summary.problems.map((p, i) => <li key={i}>{problemText(p)}</li>)}</ul>
        </div>
      ) : null}
      <div class="pv-d-grid">
        <ServicesToggle id={summary.id} services={summary.services} template={data.template} change={change} />
        <ConnectionSettings data={data} change={change} />
        <ProviderPolicy data={data} change={change} />
        <KeyList data={data} change={change} />
        <HealthPanel id={summary.id} summary={summary} check={data.template?.authOptions?.[data.provider.authOption]?.healthCheck ?? data.template?.healthCheck} />
      </div>
    </article>
  );
}
