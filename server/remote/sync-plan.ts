// What one sync does, from how the local branch relates to the fetched remote branch. Never a
// force: a diverged history is reported and the local branch keeps serving.
import type { Relation } from './remote-git.ts';

/**
 * none: in step. fast-forward: the remote has new commits on top of ours. push: this instance
 * committed on top of the remote (or the remote branch does not exist yet). hold: the same with
 * `push: false`. diverged: both sides have commits the other lacks.
 */
export type SyncAction = 'none' | 'fast-forward' | 'push' | 'hold' | 'diverged';

export function planSync(relation: Relation, push: boolean): SyncAction {
  switch (relation) {
    case 'same':
      return 'none';
    case 'behind':
      return 'fast-forward';
    case 'ahead':
    case 'remote-empty':
      return push ? 'push' : 'hold';
    case 'diverged':
      return 'diverged';
  }
}
