// The commits of main, newest first: subject, author, date, signature status and what changed;
// older pages on demand. Each commit opens its details (?commit=<id>) with the diff.
import { useEffect, useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import { shortId, type Commit, type HistoryPage } from '../../lib/history.ts';
import ApiErrorView from '../ApiErrorView.tsx';
import { get } from '../bindings/data.ts';
import SignatureBadge from './SignatureBadge.tsx';

const PAGE = 30;
export const when = (iso: string) => new Date(iso).toLocaleString(document.documentElement.lang, { dateStyle: 'medium', timeStyle: 'short' });

export default function CommitList() {
  const [commits, setCommits] = useState<Commit[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const load = (before: string | null) => {
    setBusy(true);
    get<HistoryPage>(`/api/history?limit=${PAGE}${before ? `&before=${before}` : ''}`)
      .then((r) => { setCommits((c) => [...(before ? c ?? [] : []), ...r.commits]); setNext(r.next); setError(null); }, setError)
      .finally(() => setBusy(false));
  };
  useEffect(() => load(null), []);

  return (
    <section class="bd-screen" aria-labelledby="hi-list-title">
      <h2 id="hi-list-title">{t('history.list.title')}</h2>
      <ApiErrorView error={error} />
      {commits === null && !error ? <p role="status">{t('history.loading')}</p> : null}
      {commits?.length === 0 ? <p class="bd-empty">{t('history.empty')}</p> : null}
      <ol class="hi-commits">
        {commits?.map((c) => (
          <li key={c.id} class="hi-commit">
            <a class="hi-subject" href={`/history?commit=${c.id}`}>{c.subject}</a>
            <div class="hi-info">
              <span>{c.author.name}</span>
              <time dateTime={c.author.date}>{when(c.author.date)}</time>
              <code dir="ltr">{shortId(c.id)}</code>
              <SignatureBadge signature={c.signature} />
              <span class="bd-muted">{t('history.counts', c.counts)}</span>
            </div>
          </li>
        ))}
      </ol>
      {next ? <button type="button" class="button button-quiet" disabled={busy} onClick={() => load(next)}>{t('history.more')}</button> : null}
    </section>
  );
}
