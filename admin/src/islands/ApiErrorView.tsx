// An API error, inline where the change was made: the message and hint, the validator's issues
// (file:line:column, message, hint), and for an edit conflict (409) what happened and a Reload
// button. Usage: <ApiErrorView error={err} onReload={reload} /> (nothing is shown for null).
import { t } from '../i18n/index.ts';
import { asApiError, conflictFiles, hintOf, isConflict, issuesOf, messageOf, placeOf } from '../lib/api-error.ts';

export interface ApiErrorViewProps {
  error: unknown;
  /** What Reload does on a conflict (default: reload the page). */
  onReload?: () => void;
}

export default function ApiErrorView({ error, onReload }: ApiErrorViewProps) {
  if (error === null || error === undefined) return null;
  const e = asApiError(error);
  const issues = issuesOf(e);
  const conflict = isConflict(e);
  const files = conflictFiles(e);
  const hint = hintOf(e);
  return (
    <div class="api-error" role="alert" data-code={e.code}>
      <p class="api-error-message">{messageOf(e)}</p>
      {hint && !conflict && <p class="api-error-hint">{hint}</p>}
      {issues.length > 0 && (
        <>
          <p>{t('error.issues')}</p>
          <ul class="api-error-issues">
            {issues.map((i) => (
              <li key={`${placeOf(i)} ${i.message}`}>
                <code dir="ltr">{placeOf(i)}</code> {i.message}
                {i.hint && <span class="api-error-hint"> {i.hint}</span>}
              </li>
            ))}
          </ul>
        </>
      )}
      {conflict && (
        <div class="api-error-conflict">
          <p>{t('error.conflict')}</p>
          {files.length > 0 && (
            <p>
              {t('error.conflict.files')} <code dir="ltr">{files.join(', ')}</code>
            </p>
          )}
          <button type="button" class="button" onClick={onReload ?? (() => location.reload())}>
            {t('error.reload')}
          </button>
        </div>
      )}
    </div>
  );
}
