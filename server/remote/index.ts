// Remote sync of the config repository (docs/remote-sync.md), composed: the sync itself, which
// follows sil.yaml `remote:` from commit to commit, and the POST /sync/trigger route. main.ts
// passes `route` to createApp, `sync` to the admin API (GET /api/remote) and runs `close`.
import type { Middleware } from 'koa';
import { RemoteSync, type RemoteSyncOptions } from './remote-sync.ts';
import { triggerRoute } from './trigger-route.ts';

export type { RemoteStatus } from './remote-sync.ts';
export { RemoteSync } from './remote-sync.ts';

export interface RemoteSyncRuntime {
  sync: RemoteSync;
  route: Middleware;
  close(): Promise<void>;
}

/** Starts following the live config's `remote:` block; without one it does nothing. */
export function startRemoteSync(opts: Omit<RemoteSyncOptions, 'secret'> & { env?: NodeJS.ProcessEnv; follow?: boolean }): RemoteSyncRuntime {
  const env = opts.env ?? process.env;
  const sync = new RemoteSync({ ...opts, secret: () => env.SIL_SYNC_SECRET });
  // follow: false (an isolated hub) never fetches nor pushes, and POST /sync/trigger answers 404.
  if (opts.follow !== false) sync.start();
  return { sync, route: triggerRoute(sync, opts.log), close: () => sync.close() };
}
