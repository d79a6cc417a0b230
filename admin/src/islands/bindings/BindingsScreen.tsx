// The bindings screen: the list, or one binding's editor for ?name=<binding> (and ?new=1 for a
// new one). The build is static, so the item is a query parameter.
import { useMemo } from 'preact/hooks';
import BindingList from './BindingList.tsx';
import BindingEditor from './BindingEditor.tsx';

export default function BindingsScreen() {
  const q = useMemo(() => new URLSearchParams(location.search), []);
  const name = q.get('name');
  if (name || q.has('new')) return <BindingEditor name={name} />;
  return <BindingList />;
}
