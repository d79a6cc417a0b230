// Every binding: its name, environment, protocol, strategy and targets in failover order.
import { t } from '../../i18n/index.ts';
import type { Binding } from '../../lib/bindings.ts';
import NamedList from '../NamedList.tsx';
import { get } from './data.ts';

export default function BindingList() {
  return (
    <NamedList<Binding>
      headingId="bd-list-title"
      title={t('bindings.list.title')}
      newHref="/bindings?new=1"
      newLabel={t('bindings.new')}
      loading={t('bindings.loading')}
      empty={t('bindings.empty')}
      disabledLabel={t('bindings.disabled')}
      load={() => get<{ bindings: Binding[] }>('/api/bindings').then((r) => r.bindings)}
      columns={[t('bindings.field.name'), t('bindings.field.environment'), t('bindings.field.protocol'), t('bindings.field.strategy'), t('bindings.targets')]}
      href={(b) => `/bindings?name=${b.name}`}
      detail={(b) => (b.description ? <span class="bd-muted bd-block">{b.description}</span> : null)}
      cells={(b) => (
        <>
          <td>{b.environment}</td>
          <td><code>{b.protocol}</code></td>
          <td>{t(`bindings.strategy.${b.strategy ?? 'priority'}`)}</td>
          <td>
            <ol class="bd-chain">
              {b.targets.map((x, i) => <li key={i}><code>{x.provider}</code>{x.model ? <span class="bd-muted"> · {x.model}</span> : null}</li>)}
            </ol>
          </td>
        </>
      )}
    />
  );
}
