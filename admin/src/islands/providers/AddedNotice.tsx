// After adding: the provider is saved and, when a key was given, only its mask and fingerprint
// are shown: the secret itself is never returned by the API.
import { t } from '../../i18n/index.ts';
import { addHref, detailsHref } from './links.ts';

export interface Added { id: string; name: string; key?: { id: string; mask: string; fingerprint: string } }

export default function AddedNotice({ added }: { added: Added }) {
  return (
    <section class="pv-ok pv-added" role="status" aria-labelledby="pv-added-title">
      <h2 id="pv-added-title">{t('providers.add.done', { name: added.name })}</h2>
      {added.key ? (
        <>
          <p>{t('providers.keys.savedOnce')}</p>
          <dl class="pv-dl">
            <dt>{t('providers.keys.mask')}</dt><dd><code>{added.key.mask}</code></dd>
            <dt>{t('providers.keys.fingerprint')}</dt><dd><code>{added.key.fingerprint}</code></dd>
          </dl>
        </>
      ) : <p>{t('providers.add.noKeyYet')}</p>}
      <p class="pv-form-actions">
        <a class="button" href={detailsHref(added.id)}>{t('providers.add.open')}</a>
        <a class="button button-quiet" href={addHref}>{t('providers.add.another')}</a>
      </p>
    </section>
  );
}
