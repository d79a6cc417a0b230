// Every binding: its name, environment, protocol, strategy and targets in failover order.
import { t } from '../../i18n/index.ts';
import type { Binding } from '../../lib/bindings.ts';
import NamedList from '../NamedList.tsx';

export default function BindingList() {
  return (
    <NamedList<Binding>
      resource="bindings"
      columns={[t('bindings.field.name'), t('bindings.field.environment'), t('bindings.field.protocol'), t('bindings.field.strategy'), t('bindings.targets')]}
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
