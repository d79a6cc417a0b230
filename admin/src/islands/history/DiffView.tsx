// One file's unified diff, line by line: added, removed, hunk and file headers each marked by
// colour and by their +/- / @@ prefix (kept as text, so it reads and copies like `git show`).
// Long lines wrap, so the diff never scrolls sideways (nor needs a focusable scroll region).
import { t } from '../../i18n/index.ts';
import { diffLines, diffStats, type FileChange } from '../../lib/history.ts';

export default function DiffView({ file }: { file: FileChange }) {
  const stats = file.diff ? diffStats(file.diff) : null;
  return (
    <div class="hi-file">
      <div class="hi-file-head">
        <span class={`bd-badge hi-status-${file.status}`}>{t(`history.file.${file.status}`)}</span>
        <code dir="ltr">{file.path}</code>
        {stats ? <span class="bd-muted">{t('history.diff.stats', stats)}</span> : null}
      </div>
      {file.diff ? (
        <pre class="hi-diff" dir="ltr">
          {diffLines(file.diff).map((l, i) => <span key={i} class={`hi-line hi-${l.kind}`}>{l.text}</span>)}
        </pre>
      ) : (
        <p class="bd-muted">{t('history.diff.none')}</p>
      )}
      {file.truncated ? <p class="bd-muted">{t('history.diff.truncated')}</p> : null}
    </div>
  );
}
