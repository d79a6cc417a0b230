// When a request moves on to the next target (failover conditions: connect errors, timeouts,
// status classes and codes), and how hard the proxy tries: attempt timeout, attempts, retry-safe.
import { useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import { CONDITIONS, parseConditions, type BindingForm } from '../../lib/bindings.ts';

interface Props { form: BindingForm; set: (patch: Partial<BindingForm>) => void; problems: Partial<Record<string, true>> }

export default function FailoverFields({ form, set, problems }: Props) {
  const extra = form.on.filter((c) => !(CONDITIONS as readonly string[]).includes(c));
  const [text, setText] = useState(extra.join(', '));
  const invalid = parseConditions(text).invalid;
  const toggle = (c: string, on: boolean) => set({ on: on ? [...form.on, c] : form.on.filter((x) => x !== c) });
  const typed = (value: string) => {
    setText(value);
    const known = form.on.filter((c) => (CONDITIONS as readonly string[]).includes(c));
    // Words that are no condition stay in `on`, so the form refuses to save until they are fixed.
    const { valid, invalid: wrong } = parseConditions(value);
    set({ on: [...known, ...valid.filter((c) => !known.includes(c)), ...wrong] });
  };
  const number = (key: 'timeoutMs' | 'maxAttempts', placeholder: string) => (
    <div class="field bd-field">
      <label for={`bd-${key}`}>{t(`bindings.failover.${key}`)}</label>
      <input id={`bd-${key}`} inputMode="numeric" value={form[key]} placeholder={placeholder} aria-invalid={problems[key] ? true : undefined} aria-describedby={`bd-${key}-help`}
        onInput={(e) => set({ [key]: (e.currentTarget as HTMLInputElement).value })} />
      <p id={`bd-${key}-help`} class={problems[key] ? 'field-error' : 'field-help'}>{t(`bindings.failover.${key}.help`)}</p>
    </div>
  );
  return (
    <fieldset class="bd-fieldset">
      <legend>{t('bindings.failover')}</legend>
      <fieldset class="bd-conditions">
        <legend>{t('bindings.failover.on')}</legend>
        <p class="field-help">{t('bindings.failover.on.help')}</p>
        <div class="bd-checks">
          {CONDITIONS.map((c) => (
            <label key={c} class="bd-check">
              <input type="checkbox" checked={form.on.includes(c)} onChange={(e) => toggle(c, (e.currentTarget as HTMLInputElement).checked)} />
              {t(`bindings.condition.${c}`)}
            </label>
          ))}
        </div>
        <div class="field bd-field">
          <label for="bd-on-extra">{t('bindings.failover.extra')}</label>
          <input id="bd-on-extra" value={text} placeholder="503, 4xx" dir="ltr" aria-invalid={invalid.length ? true : undefined} aria-describedby="bd-on-extra-help" onInput={(e) => typed((e.currentTarget as HTMLInputElement).value)} />
          <p id="bd-on-extra-help" class={invalid.length ? 'field-error' : 'field-help'}>
            {invalid.length ? t('bindings.failover.extra.invalid', { words: invalid.join(', ') }) : t('bindings.failover.extra.help')}
          </p>
        </div>
      </fieldset>
      <div class="bd-grid">
        {number('timeoutMs', '30000')}
        {number('maxAttempts', '3')}
      </div>
      <label class="bd-check">
        <input type="checkbox" checked={form.retrySafe} onChange={(e) => set({ retrySafe: (e.currentTarget as HTMLInputElement).checked })} />
        {t('bindings.failover.retrySafe')}
      </label>
    </fieldset>
  );
}
