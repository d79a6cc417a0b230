// Instant search: every keystroke filters (no debounce; one pass over precomputed strings).
import { t } from '../../i18n/index.ts';

interface Props { value: string; onInput: (value: string) => void }

export default function SearchBar({ value, onInput }: Props) {
  return (
    <div class="pv-search" role="search">
      <label class="pv-label" for="pv-q">{t('providers.search.label')}</label>
      <input
        id="pv-q"
        type="search"
        value={value}
        placeholder={t('providers.search.placeholder')}
        autocomplete="off"
        spellcheck={false}
        onInput={(e) => onInput((e.currentTarget as HTMLInputElement).value)}
      />
    </div>
  );
}
