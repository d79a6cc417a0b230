// The policies screen: the list with live use, or one policy's editor for ?name=<policy> (and
// ?new=1 for a new one). The build is static, so the item is a query parameter.
import { useMemo } from 'preact/hooks';
import PolicyList from './PolicyList.tsx';
import PolicyEditor from './PolicyEditor.tsx';

export default function PoliciesScreen() {
  const q = useMemo(() => new URLSearchParams(location.search), []);
  const name = q.get('name');
  if (name || q.has('new')) return <PolicyEditor name={name} />;
  return <PolicyList />;
}
