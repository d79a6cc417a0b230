// One target of a binding: its drag handle and position, provider (fitting ones first), model
// (suggestions from the provider's catalog template), weight for the weighted strategy, and the
// Move up / Move down / Remove buttons. A row the validator complained about is marked and
// shows its messages.
import { useEffect, useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import { modelsFor, providerGroups, type ProviderChoice, type TargetRow as Row } from '../../lib/bindings.ts';
import { get } from './data.ts';

type Template = Parameters<typeof modelsFor>[0];
const templates = new Map<string, Promise<Template>>();
const templateOf = (id: string) => {
  if (!templates.has(id)) templates.set(id, get<{ template: Template }>(`/api/catalog/${id}`).then((r) => r.template, () => null));
  return templates.get(id)!;
};

interface Props {
  row: Row; index: number; total: number; providers: ProviderChoice[]; environment: string; protocol: string; weighted: boolean; issues: string[];
  offset: number; dragging: boolean; handle: Record<string, (e: PointerEvent) => void>;
  onChange: (row: Row) => void; onRemove: () => void; onMove: (to: number, control: string) => void; onKey: (key: string) => number | null;
}

export default function TargetRow({ row, index, total, providers, environment, protocol, weighted, issues, offset, dragging, handle, onChange, onRemove, onMove, onKey }: Props) {
  const [models, setModels] = useState<string[]>([]);
  const template = providers.find((p) => p.id === row.provider)?.template;
  useEffect(() => void (template ? templateOf(template).then((tp) => setModels(modelsFor(tp, protocol))) : setModels([])), [template, protocol]);
  const { fit, other } = providerGroups(providers, environment, protocol);
  const id = `bd-t${row.uid}`;
  const flagged = issues.length > 0;
  const name = row.provider || t('bindings.targets.unnamed');
  const set = (field: 'provider' | 'model' | 'weight') => (e: Event) => onChange({ ...row, [field]: (e.currentTarget as HTMLInputElement).value });
  const keys = (alt: boolean) => (e: KeyboardEvent) => {
    if (alt !== e.altKey || e.ctrlKey || e.metaKey || e.shiftKey || (alt && !/^Arrow(Up|Down)$/.test(e.key))) return;
    const to = onKey(e.key);
    if (to === null) return;
    e.preventDefault();
    e.stopPropagation();
    // Alt+Arrow keeps focus in the field it was pressed in; the handle's own keys keep it there.
    const id = (e.target as HTMLElement).id;
    onMove(to, alt && id ? `#${id}` : '.bd-handle');
  };
  return (
    <li data-uid={row.uid} class={`bd-target${dragging ? ' bd-dragging' : ''}${flagged ? ' bd-target-invalid' : ''}`} style={offset ? { transform: `translateY(${offset}px)` } : undefined} onKeyDown={keys(true)}>
      <button type="button" class="bd-handle" aria-label={t('bindings.targets.handle', { position: index + 1, total, provider: name })} aria-describedby="bd-targets-help" onKeyDown={keys(false)} {...handle}>
        <span aria-hidden="true">⠿</span>
      </button>
      <span class="bd-position" aria-hidden="true">{index + 1}</span>
      <div class="field bd-field">
        <label for={`${id}-p`}>{t('bindings.target.provider')}</label>
        <select id={`${id}-p`} class="bd-provider" value={row.provider} onChange={set('provider')} aria-invalid={flagged || !row.provider ? true : undefined} aria-describedby={flagged ? `${id}-err` : undefined}>
          <option value="">{t('bindings.target.choose')}</option>
          <optgroup label={t('bindings.target.fit', { environment })}>{fit.map((p) => <option key={p.id} value={p.id}>{p.id} · {p.name}</option>)}</optgroup>
          {other.length ? <optgroup label={t('bindings.target.other')}>{other.map((p) => <option key={p.id} value={p.id}>{p.id} · {p.environment}</option>)}</optgroup> : null}
        </select>
      </div>
      <div class="field bd-field">
        <label for={`${id}-m`}>{t('bindings.target.model')}</label>
        <input id={`${id}-m`} class="bd-model" value={row.model} onInput={set('model')} list={models.length ? `${id}-ml` : undefined} autocomplete="off" spellcheck={false} dir="ltr" />
        {models.length ? <datalist id={`${id}-ml`}>{models.map((m) => <option key={m} value={m} />)}</datalist> : null}
      </div>
      {weighted ? (
        <div class="field bd-field bd-weight">
          <label for={`${id}-w`}>{t('bindings.target.weight')}</label>
          <input id={`${id}-w`} inputMode="numeric" value={row.weight} placeholder="1" onInput={set('weight')} />
        </div>
      ) : null}
      <div class="bd-row-actions">
        <button type="button" class="button button-quiet bd-small bd-up" disabled={index === 0} aria-label={t('bindings.targets.up', { provider: name })} onClick={() => onMove(index - 1, '.bd-up')}><span aria-hidden="true">↑</span></button>
        <button type="button" class="button button-quiet bd-small bd-down" disabled={index === total - 1} aria-label={t('bindings.targets.down', { provider: name })} onClick={() => onMove(index + 1, '.bd-down')}><span aria-hidden="true">↓</span></button>
        <button type="button" class="button button-quiet bd-small bd-remove" aria-label={t('bindings.targets.remove', { provider: name })} onClick={onRemove}><span aria-hidden="true">✕</span></button>
      </div>
      {flagged ? <ul id={`${id}-err`} class="field-error bd-row-issues">{issues.map((m) => <li key={m}>{m}</li>)}</ul> : null}
    </li>
  );
}
