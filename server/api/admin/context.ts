// What every admin API route gets from the composition root (server/main.ts). Routes read the
// live snapshot for display, read the repository at a commit for edits, and change the config
// only through `writer` (one commit per change, carrying the commit the edit was based on).
import type { LiveConfig } from '../../config/live-config.ts';
import type { GitWriter, Person } from '../../config/git-writer.ts';
import type { Catalog } from '../../config/catalog.ts';
import type { VaultContext } from '../../vault/key-ops.ts';
import type { RequestLog } from '../../proxy/request-log.ts';
import type { MemoryUsageRecorder } from '../../observe/usage-recorder.ts';
import type { Resolve } from '../../core/private-address.ts';
import type { AuditLog } from '../../observe/audit-log.ts';
import type { LimitsView } from '../../limits/limits-view.ts';
import type { AnalyticsSources } from '../../observe/analytics/sources.ts';
import type { AlertEngine } from '../../observe/alerts/alert-engine.ts';
import type { RecentHooks } from '../../inbound/recent-hooks.ts';
import type { WebhookDispatcher } from '../../webhooks/dispatcher.ts';
import type { HealthView } from '../../observe/health/types.ts';
import type { RemoteStatusSource } from '../../remote/status-route.ts';

export interface AdminDeps {
  live: LiveConfig;
  writer: GitWriter;
  gitdir: string;
  catalog: Catalog;
  /** Vault operations (keys, recipients); its author is replaced by `author()` per change. */
  vault: VaultContext;
  /** The commit author for changes made through the API (the owner). */
  author: () => Person;
  now: () => Date;
  log: (line: string) => void;
  /**
   * Loads the branch head into `live` (the Reloader's check()). Called after every write, so
   * the answer's commit is live (when valid) before the next GET; without it the poller does.
   */
  reload?: () => Promise<void>;
  requestLog?: RequestLog;
  usage?: MemoryUsageRecorder;
  /** Resolves provider host names for the base URL guard (default: the system resolver). */
  resolveHost?: Resolve;
  /** The runtime audit log, paged by GET /api/audit. */
  auditLog?: AuditLog;
  /** The limiter's counters and budget alerts, for GET /api/limits. */
  limits?: LimitsView;
  /** What /api/analytics reads: the usage store, the live config, the limiter and the clock. */
  analytics?: AnalyticsSources;
  /** The alert engine, for /api/alerts (docs/alerts.md). */
  alerts?: Pick<AlertEngine, 'list' | 'unread' | 'acknowledge' | 'silence' | 'unsilence' | 'silences'>;
  /** The last inbound provider webhooks, for GET /api/hooks/recent (server/inbound). */
  inboundHooks?: Pick<RecentHooks, 'list'>;
  /** Outgoing webhooks: endpoint states, the delivery log, replay (docs/webhooks.md). */
  webhooks?: WebhookDispatcher;
  /** The health monitor, for GET /api/health and the providers list's `health`. */
  health?: HealthView;
  /** Remote sync of the config repository, for GET /api/remote (docs/remote-sync.md). */
  remote?: RemoteStatusSource;
}
