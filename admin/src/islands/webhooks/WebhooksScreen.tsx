// The webhooks screen: the list, one subscription (?name=<webhook>: state, secret, delivery log),
// its editor (?name=<webhook>&edit=1) or a new one (?new=1). The build is static, so the item is a query parameter.
import { useMemo } from 'preact/hooks';
import WebhookList from './WebhookList.tsx';
import WebhookEditor from './WebhookEditor.tsx';
import WebhookView from './WebhookView.tsx';

export default function WebhooksScreen() {
  const q = useMemo(() => new URLSearchParams(location.search), []);
  const name = q.get('name');
  if (q.has('new') || (name && q.has('edit'))) return <WebhookEditor name={name} />;
  if (name) return <WebhookView name={name} />;
  return <WebhookList />;
}
