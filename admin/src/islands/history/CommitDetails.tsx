// One commit (?commit=<id>): subject and message, author and committer, signature status with
// the signer, what it reverted (for a revert), every file with its diff, and Revert.
import { useEffect, useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import { messageBody, revertedBy, shortId, type Commit } from '../../lib/history.ts';
import ApiErrorView from '../ApiErrorView.tsx';
import BackLink from '../bindings/BackLink.tsx';
import { get } from '../bindings/data.ts';
import { when } from './CommitList.tsx';
import SignatureBadge from './SignatureBadge.tsx';
import DiffView from './DiffView.tsx';
import RevertButton from './RevertButton.tsx';

export default function CommitDetails({ id }: { id: string }) {
  const [data, setData] = useState<{ commit: Commit; head: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    // The answer carries main's head too: the base a revert from this page is made on.
    get<Commit & { head: string }>(`/api/history/${id}`).then(({ head, ...commit }) => setData({ commit, head }), setError);
  }, []);
  const back = <BackLink href="/history" label={t('history.back')} />;
  if (!data) return <>{back}{error ? <ApiErrorView error={error} /> : <p role="status">{t('history.loading')}</p>}</>;

  const { commit: c } = data;
  const body = messageBody(c.message);
  const reverted = revertedBy(c.message);
  const person = (p: Commit['author']) => <>{p.name} <span class="bd-muted" dir="ltr">&lt;{p.email}&gt;</span>, <time dateTime={p.date}>{when(p.date)}</time></>;
  return (
    <article class="hi-details" aria-labelledby="hi-title">
      {back}
      <h2 id="hi-title">{c.subject}</h2>
      {body ? <p class="hi-body">{body}</p> : null}
      <dl class="bd-facts">
        <dt>{t('history.commit')}</dt><dd><code dir="ltr">{c.id}</code></dd>
        <dt>{t('history.author')}</dt><dd>{person(c.author)}</dd>
        {c.committer.email !== c.author.email || c.committer.date !== c.author.date ? <><dt>{t('history.committer')}</dt><dd>{person(c.committer)}</dd></> : null}
        <dt>{t('history.signature')}</dt><dd><SignatureBadge signature={c.signature} long /></dd>
        {c.parents[0] ? <><dt>{t('history.parent')}</dt><dd><a href={`/history?commit=${c.parents[0]}`}><code dir="ltr">{shortId(c.parents[0])}</code></a></dd></> : null}
        {reverted ? <><dt>{t('history.reverts')}</dt><dd><a href={`/history?commit=${reverted}`}><code dir="ltr">{shortId(reverted)}</code></a></dd></> : null}
      </dl>
      <RevertButton commit={c} head={data.head} />
      <h3>{t('history.files', { count: c.files?.length ?? 0 })}</h3>
      {c.files?.length ? c.files.map((f) => <DiffView key={f.path} file={f} />) : <p class="bd-muted">{t('history.files.none')}</p>}
    </article>
  );
}
