// A commit's signature status as a word and a mark (never colour alone): good, unsigned, bad,
// unknown signer; the signer or the reason is in the title and, in details, spelled out.
import { t } from '../../i18n/index.ts';
import { signatureTone, type Commit } from '../../lib/history.ts';

const MARK = { ok: '✓', warn: '•', danger: '✕' } as const;

export default function SignatureBadge({ signature, long }: { signature: Commit['signature']; long?: boolean }) {
  const tone = signatureTone(signature.status);
  const extra = signature.signer ? t('history.signature.by', { signer: signature.signer }) : signature.reason ?? '';
  return (
    <span class="hi-signature">
      <span class={`bd-badge hi-sig-${tone}`} data-status={signature.status} title={extra || undefined}>
        <span aria-hidden="true">{MARK[tone]}</span> {t(`history.signature.${signature.status}`)}
      </span>
      {long && extra ? <span class="bd-muted"> {extra}</span> : null}
    </span>
  );
}
