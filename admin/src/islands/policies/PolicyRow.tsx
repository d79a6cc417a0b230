// One policy of the list: its name (a link to its editor) and description, what it limits in
// words, where it is attached (links to each client, binding or provider), and its live use.
import { dir, t } from '../../i18n/index.ts';
import type { Formats } from '../../lib/analytics-format.ts';
import { policyParts, type Attachment, type Policy } from '../../lib/policies.ts';
import type { LimitsAnswer } from './data.ts';
import PolicyUsage from './PolicyUsage.tsx';

interface Props { policy: Policy; attached: Attachment[]; live: LimitsAnswer | null; f: Formats; timeZone: string }

const hrefOf = (a: Attachment) => (a.kind === 'provider' ? `/providers/view?id=${encodeURIComponent(a.name)}` : `/${a.kind}s?name=${encodeURIComponent(a.name)}`);

export default function PolicyRow({ policy, attached, live, f, timeZone }: Props) {
  const parts = policyParts(policy, f, t);
  return (
    <tr data-policy={policy.name}>
      <th scope="row">
        <a href={`/policies?name=${encodeURIComponent(policy.name)}`}><code>{policy.name}</code></a>
        {policy.description ? <span class="bd-muted bd-block">{policy.description}</span> : null}
      </th>
      <td class="po-summary">
        {/* Each part isolated, in the page's direction, so that numbers and Latin codes (USD) keep their place in Arabic. */}
        {parts.length ? parts.map((part, i) => <span key={i}>{i ? ' · ' : ''}<bdi dir={dir()}>{part}</bdi></span>) : t('policies.sum.nothing')}
      </td>
      <td class="po-attached">
        {attached.length === 0 ? <span class="bd-muted">{t('policies.attached.none')}</span> : (
          <ul class="po-attachments">
            {attached.map((a) => <li key={`${a.kind}:${a.name}`} data-attached={`${a.kind}:${a.name}`}>{t(`policies.kind.${a.kind}`)} <a href={hrefOf(a)}><code>{a.name}</code></a></li>)}
          </ul>
        )}
      </td>
      <td class="po-live"><PolicyUsage policy={policy.name} live={live} f={f} timeZone={timeZone} /></td>
    </tr>
  );
}
