// GET /api/remote: where this hub's config comes from and how far it is in step with it, for
// the owner (registered on the admin router; described in EXTERNAL_ROUTES of route-table.ts).
import type Router from '@koa/router';
import type { RemoteStatus } from './remote-sync.ts';

export interface RemoteStatusSource {
  status(): RemoteStatus;
}

const NO_REMOTE: RemoteStatus = { url: null, branch: null, push: null, pullIntervalSeconds: null, trigger: false, lastFetch: null, lastPush: null, ahead: null, behind: null, diverged: false, error: null };

export function remoteRoutes(router: Router, source: RemoteStatusSource | undefined): void {
  router.get('/remote', (ctx) => {
    ctx.body = source?.status() ?? NO_REMOTE;
  });
}
