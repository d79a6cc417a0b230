// A screen's list of named resources (bindings, clients): a heading with the New link, the
// loading / empty / error states, and a table whose first column links each name to its editor.
import { useEffect, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import { t } from '../i18n/index.ts';
import ApiErrorView from './ApiErrorView.tsx';
import { get } from './bindings/data.ts';

export interface NamedListProps<T extends { name: string; enabled?: boolean }> {
  /** What is listed: its page (/<resource>), its API list and its texts (`<resource>.list.title`, `.new`, `.loading`, `.empty`). */
  resource: 'bindings' | 'clients';
  /** Column headings: the name column first. */
  columns: string[];
  /** Shown under the name. */
  detail?: (item: T) => ComponentChildren;
  /** The other cells of a row (`<td>`s). */
  cells: (item: T) => ComponentChildren;
}

export default function NamedList<T extends { name: string; enabled?: boolean }>(p: NamedListProps<T>) {
  const [items, setItems] = useState<T[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const r = p.resource;
  useEffect(() => void get<Record<string, T[]>>(`/api/${r}`).then((answer) => setItems(answer[r].sort((a, b) => (a.name < b.name ? -1 : 1))), setError), []);
  return (
    <section class="bd-screen" aria-labelledby={`${r}-list-title`}>
      <div class="bd-head">
        <h2 id={`${r}-list-title`}>{t(`${r}.list.title`)}</h2>
        <a class="button" href={`/${r}?new=1`}>+ {t(`${r}.new`)}</a>
      </div>
      <ApiErrorView error={error} />
      {items === null && !error ? <p role="status">{t(`${r}.loading`)}</p> : null}
      {items?.length === 0 ? <p class="bd-empty">{t(`${r}.empty`)}</p> : null}
      {items?.length ? (
        <div class="bd-table-wrap">
          <table class="bd-table">
            <thead>
              <tr>{p.columns.map((c) => <th scope="col" key={c}>{c}</th>)}</tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.name}>
                  <th scope="row">
                    <a href={`/${r}?name=${item.name}`}><code>{item.name}</code></a>
                    {item.enabled === false ? <span class="bd-badge bd-badge-off">{t('bindings.disabled')}</span> : null}
                    {p.detail?.(item)}
                  </th>
                  {p.cells(item)}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
