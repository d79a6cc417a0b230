// A screen's list of named resources (bindings, clients): a heading with the New link, the
// loading / empty / error states, and a table whose first column links each name to its editor.
import { useEffect, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import ApiErrorView from './ApiErrorView.tsx';

export interface NamedListProps<T extends { name: string; enabled?: boolean }> {
  headingId: string;
  title: string;
  newHref: string;
  newLabel: string;
  loading: string;
  empty: string;
  disabledLabel: string;
  load: () => Promise<T[]>;
  /** Column headings: the name column first. */
  columns: string[];
  href: (item: T) => string;
  /** Shown under the name. */
  detail?: (item: T) => ComponentChildren;
  /** The other cells of a row (`<td>`s). */
  cells: (item: T) => ComponentChildren;
}

export default function NamedList<T extends { name: string; enabled?: boolean }>(p: NamedListProps<T>) {
  const [items, setItems] = useState<T[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => void p.load().then((list) => setItems(list.sort((a, b) => (a.name < b.name ? -1 : 1))), setError), []);
  return (
    <section class="bd-screen" aria-labelledby={p.headingId}>
      <div class="bd-head">
        <h2 id={p.headingId}>{p.title}</h2>
        <a class="button" href={p.newHref}>+ {p.newLabel}</a>
      </div>
      <ApiErrorView error={error} />
      {items === null && !error ? <p role="status">{p.loading}</p> : null}
      {items?.length === 0 ? <p class="bd-empty">{p.empty}</p> : null}
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
                    <a href={p.href(item)}><code>{item.name}</code></a>
                    {item.enabled === false ? <span class="bd-badge bd-badge-off">{p.disabledLabel}</span> : null}
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
