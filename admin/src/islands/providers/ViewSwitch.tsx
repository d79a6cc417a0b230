// Cards / list / details: three toggle buttons (the choice is remembered).
import { t } from '../../i18n/index.ts';
import { VIEWS, type View } from '../../lib/providers.ts';

const ICONS: Record<View, string> = { cards: '▦', list: '☰', details: '▤' };

export default function ViewSwitch({ view, onChange }: { view: View; onChange: (v: View) => void }) {
  return (
    <div class="pv-segmented pv-views" role="group" aria-label={t('providers.view.label')}>
      {VIEWS.map((v) => (
        <button type="button" key={v} class="pv-seg" aria-pressed={view === v} onClick={() => onChange(v)}>
          <span aria-hidden="true">{ICONS[v]}</span> {t(`providers.view.${v}`)}
        </button>
      ))}
    </div>
  );
}
