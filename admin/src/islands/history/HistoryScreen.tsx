// The history screen: the commit list, or one commit for ?commit=<40-hex id> (the build is
// static, so the commit is a query parameter).
import { useMemo } from 'preact/hooks';
import { commitParam } from '../../lib/history.ts';
import CommitList from './CommitList.tsx';
import CommitDetails from './CommitDetails.tsx';

export default function HistoryScreen() {
  const id = useMemo(() => commitParam(location.search), []);
  return id ? <CommitDetails id={id} /> : <CommitList />;
}
