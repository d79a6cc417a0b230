// The fields every new provider has: its id (the file name), display name and environment.
import { t } from '../../i18n/index.ts';
import { ID_PATTERN } from '../../lib/providers.ts';

export interface Identity { id: string; name: string; environment: string }

export default function IdentityFields({ value, environments, onChange }: { value: Identity; environments: string[]; onChange: (v: Identity) => void }) {
  const set = (k: keyof Identity) => (e: Event) => onChange({ ...value, [k]: (e.currentTarget as HTMLInputElement).value });
  const badId = value.id !== '' && !new RegExp(ID_PATTERN).test(value.id);
  return (
    <fieldset class="pv-identity">
      <legend>{t('providers.add.identity')}</legend>
      <div class={`field pv-field${badId ? ' pv-field-invalid' : ''}`}>
        <label for="pvi-id">{t('providers.add.id')}<span class="pv-req" aria-hidden="true"> *</span></label>
        <input id="pvi-id" required value={value.id} onInput={set('id')} autocomplete="off" spellcheck={false}
          aria-describedby="pvi-id-help" aria-invalid={badId || undefined} />
        <p id="pvi-id-help" class={badId ? 'field-error' : 'field-help'}>{t('providers.add.idHelp')}</p>
      </div>
      <div class="field pv-field">
        <label for="pvi-name">{t('providers.add.name')}<span class="pv-req" aria-hidden="true"> *</span></label>
        <input id="pvi-name" required value={value.name} onInput={set('name')} autocomplete="off" />
      </div>
      <div class="field pv-field">
        <label for="pvi-env">{t('providers.add.environment')}</label>
        <select id="pvi-env" value={value.environment} onChange={set('environment')}>
          {environments.map((e) => <option key={e} value={e}>{e}</option>)}
        </select>
      </div>
    </fieldset>
  );
}
