// The composition root: reads the environment, wires the parts together, starts the hub.
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { initDataDir } from './config/repo-init.ts';
import { projectCatalog, type Catalog } from './config/catalog.ts';
import { ConfigLoader } from './config/loader.ts';
import { LiveConfig } from './config/live-config.ts';
import { Reloader } from './config/reloader.ts';
import { GitWriter } from './config/git-writer.ts';
import { formatIssue } from './config/issues.ts';
import { createApp } from './http/app.ts';
import { resolveLimits, serverOptions, type ResolvedLimits, type ServerLimits } from './http/server-limits.ts';
import { applyServerLimits, logServerErrors, openFilesLimit } from './http/apply-limits.ts';
import { SilError } from './errors.ts';
import { loadHubIdentity } from './vault/identity.ts';
import { startKeyMaintenance } from './vault/key-maintenance.ts';
import { HubEvents } from './events/hub-events.ts';
import { startWebhooks, type WebhooksRuntime } from './webhooks/runtime.ts';
import { rotatedKeys } from './events/config-events.ts';
import { AppliedCommit } from './events/applied-commit.ts';
import { sharedFacts } from './events/shared-facts.ts';
import type { ConfigSnapshot } from './config/snapshot.ts';
import { createUpstream } from './proxy/upstream.ts';
import { guardedLookup } from './proxy/guarded-lookup.ts';
import { tokenFetch } from './auth-schemes/token-fetch.ts';
import { createAuthDeps } from './auth-schemes/async-registry.ts';
import { createTargetChoice } from './proxy/target-choice.ts';
import { SharedCircuits } from './cluster/shared-circuits.ts';
import { sharedTokenCache } from './cluster/shared-token-cache.ts';
import { createHubMetrics, type HubMetrics } from './observe/metrics/index.ts';
import { RequestLog } from './proxy/request-log.ts';
import { startLimits } from './limits/limits-runtime.ts';
import { sharedStateAlerter } from './limits/shared-state-alert.ts';
import type { SharedStateProblem } from './limits/shared-counter-store.ts';
import type { Limiter } from './limits/limiter.ts';
import { MemoryUsageRecorder, fanOut, type UsageRecorder } from './observe/usage-recorder.ts';
import { openUsageStore, type DiskUsageStore } from './observe/usage-store/usage-store.ts';
import { RecentRequests } from './observe/analytics/recent-requests.ts';
import { internalCaller } from './proxy/internal-call.ts';
import { BindingChannelDispatcher, NOTIFICATIONS_CLIENT } from './notify/dispatcher.ts';
import { HealthMonitor } from './observe/health/health-monitor.ts';
import { AlertEngine } from './observe/alerts/alert-engine.ts';
import { TrafficWindow } from './observe/health/traffic-window.ts';
import { ClusterPassive } from './cluster/shared-health-passive.ts';
import { SharedHealth } from './cluster/shared-health.ts';
import { SharedAlertsReplica } from './cluster/shared-alerts-replica.ts';
import { resolveDataDir } from './config/data-dir.ts';
import { commitSigner } from './vault/signing-key.ts';
import { signingSettingsOf } from './config/signing-policy.ts';
import { AuditLog, type AuditEvent } from './observe/audit-log.ts';
import { ownerAuth, type OwnerAuth } from './api/owner/index.ts';
import { ProxyAudit } from './proxy/proxy-audit.ts';
import { join } from 'node:path';
import { adminApi } from './api/admin/index.ts';
import { consoleStatic } from './api/console-static.ts';
import { startInboundHooks } from './inbound/index.ts';
import { remoteAddressOf } from './http/remote-address.ts';
import { fileURLToPath } from 'node:url';
import { Cluster } from './cluster/cluster.ts';
import { startRemoteSync, type RemoteSync } from './remote/index.ts';
import { ServerDrain } from './http/drain.ts';
import { UsageStream } from './cluster/usage-stream.ts';
import { sharedReplay } from './cluster/shared-replay.ts';
import { FeedbackRelay } from './cluster/feedback-relay.ts';

export const VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

export interface HubOptions {
  dataDir: string;
  host: string;
  port: number;
  pollMs?: number;
  /** The author of commits made through the admin API (the owner); default `owner <owner@localhost>`. */
  author?: { name: string; email: string };
  /** How often the hub retires and rotates keys by itself (default hourly). */
  keyMaintenanceMs?: number;
  /** The built console (default admin/dist of this checkout); null serves no console. */
  consoleDir?: string | null;
  /** Overrides of the HTTP server's limits against slow and idle callers (docs/network-limits.md). */
  limits?: Partial<ServerLimits>;
  /** false runs without the usage store (data/state/usage); for benchmarks. */
  usageStore?: boolean;
  /** How often the usage store writes (default 5000 ms; SIL_USAGE_FLUSH_MS). */
  usageFlushMs?: number;
  /** Health monitor timing for tests (docs/health.md); SIL_HEALTH_INTERVAL_MS also sets intervalMs. */
  health?: { intervalMs?: number; tickMs?: number; probes?: boolean };
  /** Alert engine timing for tests (docs/alerts.md): how often rules are evaluated (default 30 s; SIL_ALERTS_EVALUATE_MS), the cool-down. */
  alerts?: { evaluateMs?: number; cooldownMs?: number };
  /**
   * A hub that touches nothing outside itself (`sil start --isolated`, SIL_ISOLATED=1; a restore
   * drill, docs/deploy/hetzner.md): sil.yaml `redis:` and `remote:` are ignored, and no key
   * maintenance, health probes, webhook deliveries or notifications run. The proxy still serves.
   */
  isolated?: boolean;
  /** The leader lease for tests (docs/scaling.md; SIL_LEADER_LEASE_MS), a fixed instance id. */
  cluster?: { leaseMs?: number; renewMs?: number; instanceId?: string };
  /** More recorders told of every answer's usage (tests, an embedding program). */
  usageRecorders?: readonly UsageRecorder[];
  log?: (line: string) => void;
}

export interface Hub {
  url: string;
  server: Server;
  limits: ResolvedLimits;
  live: LiveConfig;
  writer: GitWriter;
  reloader: Reloader;
  keyMaintenance: { stop(): void; runNow(): Promise<string[]> };
  requestLog: RequestLog;
  usage: MemoryUsageRecorder;
  /** Policies enforced: counters, status, budget alerts (docs/limits.md). */
  limiter: Limiter;
  /** What /metrics serves (docs/metrics.md). */
  metrics: HubMetrics;
  /** The runtime events bus (docs/events.md). */
  events: HubEvents;
  /** Outgoing webhooks (Standard Webhooks): queue, delivery log, replay (docs/webhooks.md). */
  webhooks: WebhooksRuntime;
  /** Provider and key health: probes, traffic, circuits (docs/health.md). */
  healthMonitor: HealthMonitor;
  /** Alerts: rules, built-ins, the notification centre's state (docs/alerts.md); raise()/resolve() for other parts. */
  alerts: AlertEngine;
  /** Minute/hour/day usage rollups (docs/usage-store.md); null with `usageStore: false`. */
  usageStore: DiskUsageStore | null;
  auditLog: AuditLog;
  owner: OwnerAuth;
  catalog: Catalog;
  gitdir: string;
  /** Notification channels (docs/notifications.md): email / SMS / Telegram through the hub's own bindings. */
  notify: BindingChannelDispatcher;
  /** This instance among its peers: the shared Redis (sil.yaml `redis:`) and the leader lease (docs/scaling.md). */
  cluster: Cluster;
  /** Remote sync of the config repository (sil.yaml `remote:`, docs/remote-sync.md). */
  remoteSync: RemoteSync;
  /** With `drainMs`: refuse new connections, let requests in progress finish (at most drainMs), then stop. */
  close(options?: { drainMs?: number }): Promise<void>;
}

/**
 * Flags win over SIL_DATA / SIL_HOST / SIL_PORT, which win over the embedded defaults. A variable
 * set but empty counts as unset (an empty SIL_HOST would otherwise listen on every interface).
 */
export function hubOptions(flags: { data?: string; host?: string; port?: string; isolated?: boolean }, env: NodeJS.ProcessEnv = process.env): HubOptions {
  const portText = flags.port ?? (env.SIL_PORT || '8080');
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw new SilError('SIL_USAGE', `invalid port "${portText}"`, { hint: 'give a number from 0 to 65535 (0 picks a free port)' });
  const author = env.SIL_AUTHOR_NAME || env.SIL_AUTHOR_EMAIL ? { name: env.SIL_AUTHOR_NAME || 'owner', email: env.SIL_AUTHOR_EMAIL || 'owner@localhost' } : undefined;
  const flushText = env.SIL_USAGE_FLUSH_MS || undefined;
  if (flushText !== undefined && (!/^\d+$/.test(flushText) || Number(flushText) < 100 || Number(flushText) > 3_600_000)) {
    throw new SilError('SIL_USAGE', `invalid SIL_USAGE_FLUSH_MS "${flushText}"`, { hint: 'give the usage store\'s flush interval in milliseconds, from 100 to 3600000 (default 5000)' });
  }
  const isolated = flags.isolated === true || env.SIL_ISOLATED === '1';
  return { dataDir: resolveDataDir(flags.data, env), host: flags.host ?? (env.SIL_HOST || '127.0.0.1'), port, ...(author ? { author } : {}), ...(flushText ? { usageFlushMs: Number(flushText) } : {}), ...(isolated ? { isolated } : {}) };
}

export async function startHub(opts: HubOptions): Promise<Hub> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const { catalog, issues } = projectCatalog();
  for (const i of issues) log(`catalog: ${formatIssue(i)}`);
  const init = await initDataDir(opts.dataDir);
  if (init.created) log(`created ${init.paths.gitdir} (first commit ${init.commit?.slice(0, 7)})`);
  const { gitdir } = init.paths;

  const auditLog = await AuditLog.open(join(opts.dataDir, 'audit'), { onError: (err) => log(`audit: ${err.message}`) });
  const audit = (event: AuditEvent): void => {
    auditLog.append(event).catch((err: Error) => log(`audit: cannot record ${event.type}: ${err.message}`));
  };
  audit({ type: 'hub.started', actor: 'system', detail: { version: VERSION } });

  // The runtime events (docs/events.md): health, alerts, limits, config, keys, inbound webhooks.
  const events = new HubEvents({ held: true, onError: (err, e) => log(`events: a listener of ${e.type} failed: ${(err as Error)?.message ?? String(err)}`) });
  const live = new LiveConfig();
  const appliedCommit = await AppliedCommit.open(join(opts.dataDir, 'state', 'applied-commit.json'), log);
  let previous: ConfigSnapshot | null = null;
  live.on('loaded', (s) => {
    log(`config: live at ${s.commit.slice(0, 7)} (${s.providers.size} providers, ${s.bindings.size} bindings)`);
    audit({ type: 'config.loaded', actor: 'system', detail: { commit: s.commit, providers: s.providers.size, bindings: s.bindings.size } });
    if (appliedCommit.applied(s.commit)) events.emit('config.applied', { commit: s.commit, providers: s.providers.size, bindings: s.bindings.size }, undefined, { fact: sharedFacts.configApplied(s.commit) });
    for (const k of rotatedKeys(previous, s)) events.emit('key.rotated', { ...k }, k.environment || undefined, { fact: sharedFacts.keyRotated(s.commit, k.provider, k.keyId) });
    previous = s;
  });
  live.on('rejected', (r) => {
    log(`config: rejected commit ${r.commit.slice(0, 7)}; still serving the last good config`);
    for (const i of r.errors) log(`  ${formatIssue(i)}`);
    const first = r.errors[0] ? formatIssue(r.errors[0]).slice(0, 400) : '';
    audit({ type: 'config.rejected', actor: 'system', detail: { commit: r.commit, errors: r.errors.length, first } });
    events.emit('config.rejected', { commit: r.commit, errors: r.errors.length, first }, undefined, { fact: sharedFacts.configRejected(r.commit) });
  });
  // Before the first load, so that sil_config_reloads_total counts it.
  // The limiter is made further down; /metrics reads it at scrape time, once the hub listens.
  const metrics = createHubMetrics({ live, circuits: () => choice.breakers.states(), limiter: () => limitsRuntime.limiter });
  const hub = await loadHubIdentity(init.paths.ageKey);
  // Signed commits: the requirement and the allowed signers come from the live config (a pushed
  // commit cannot lift them for itself); the hub's own key is always allowed.
  const signing = { hubKey: init.signingKey.publicKey, live: () => (live.snapshot ? signingSettingsOf(live.snapshot.settings) ?? {} : null) };
  const loader = new ConfigLoader({ gitdir, catalog, identities: hub.identities, signing });
  const reloader = new Reloader({ loader, live, gitdir, pollMs: opts.pollMs, log });
  // The shared Redis and the leader lease follow sil.yaml from the first load on (docs/scaling.md).
  const isolated = opts.isolated === true;
  if (isolated) log('isolated: Redis, the config remote, key maintenance, health probes, webhook deliveries and notifications are off');
  const cluster = new Cluster({ live, log, ...opts.cluster, isolated });
  cluster.start();
  // Circuit breakers open and close on every instance at once (docs/proxy.md, "Several instances").
  const choice = createTargetChoice(Date.now, Math.random, new SharedCircuits({ cluster, log }));
  await reloader.start();
  const writer = new GitWriter({ gitdir, catalog, sign: commitSigner(init.signingKey) });
  const vault = { gitdir, writer, catalog, hub, author: { name: 'sil', email: 'sil@localhost' }, now: () => new Date() };
  // Key rotation runs on the leader only (docs/vault.md, "Several instances").
  const keyMaintenance = isolated ? { stop() {}, runNow: async () => [] as string[] } : startKeyMaintenance({ vault, snapshot: () => live.snapshot, log }, opts.keyMaintenanceMs ?? 3_600_000, undefined, cluster.leader);

  // Provider connections (requests and token requests) resolve names with the address check.
  const lookup = guardedLookup({
    allowPrivate: () => live.snapshot?.settings.security.allowPrivateBaseUrls === true,
    onRefused: (host, address) => log(`proxy: refused to connect to ${host}: it resolves to ${address} (link-local or cloud metadata)`),
  });
  const upstream = createUpstream({ lookup });
  const tokens = tokenFetch(lookup);
  // One token cache for the proxy, the internal caller and health, its tokens shared with the peers.
  const auth = createAuthDeps({ fetch: tokens.fetch, tokenCache: sharedTokenCache({ cluster, identity: hub.identities.raw[0], log }) });
  const requestLog = new RequestLog();
  const usage = new MemoryUsageRecorder();
  // Everything that observes each request (usage store, limiter, metrics, feedback index); and
  // what must be flushed or stopped when the hub closes, in order.
  const recorders: UsageRecorder[] = [usage, ...(opts.usageRecorders ?? [])];
  const closers: (() => Promise<void> | void)[] = [];
  recorders.push(metrics.recorder);
  closers.push(() => metrics.close());
  const recorder = fanOut(recorders, (err) => log(`usage: ${(err as Error)?.message ?? String(err)}`));
  // With Redis, every instance's counts go through one shared stream into every instance's store (docs/scaling.md).
  const usageStream = opts.usageStore === false ? null : new UsageStream({ cluster, cursorPath: join(opts.dataDir, 'state', 'usage-stream.json'), ingest: (b) => usageStore?.ingest(b), log });
  const usageStore = opts.usageStore === false ? null : await openUsageStore({ dir: join(opts.dataDir, 'state', 'usage'), snapshot: () => live.snapshot, flushMs: opts.usageFlushMs, log, ...(usageStream ? { exchange: usageStream } : {}) });
  if (usageStore) {
    recorders.push(usageStore.recorder);
    await usageStream?.start();
    closers.push(async () => {
      await usageStore.close();
      await usageStream?.close();
    });
  }
  // The requests callers may still score (POST /v1/feedback).
  const recentRequests = new RecentRequests();
  recorders.push(recentRequests);
  // A score sent to another instance than the one that answered reaches it through Redis.
  const feedbackRelay = new FeedbackRelay({ cluster, target: { recent: recentRequests, ...(usageStore ? { store: usageStore } : {}) }, snapshot: () => live.snapshot, log });
  feedbackRelay.start();
  closers.push(() => feedbackRelay.close());
  // Health (docs/health.md): probes through the guarded upstream, passive results from traffic, the circuits.
  const traffic = new TrafficWindow();
  recorders.push(traffic);
  const healthIntervalMs = opts.health?.intervalMs ?? (Number(process.env.SIL_HEALTH_INTERVAL_MS) || undefined);
  // Every instance's traffic and circuits; only the leader probes and judges, the others show what it shares (docs/health.md, "Several instances").
  const passive = new ClusterPassive(traffic, () => choice.breakers.states());
  const health = new HealthMonitor({ snapshot: () => live.snapshot, upstream, auth, events, traffic: passive, circuits: () => passive.circuits(), path: join(opts.dataDir, 'state', 'health.json'), log, probes: process.env.SIL_HEALTH_PROBES !== 'off', ...opts.health, ...(healthIntervalMs ? { intervalMs: healthIntervalMs } : {}), ...(isolated ? { probes: false } : {}) });
  await health.start();
  const sharedHealth = new SharedHealth({ cluster, monitor: health, passive, providers: () => live.snapshot?.providers.keys() ?? [], log, tickMs: opts.health?.tickMs });
  sharedHealth.start();
  live.on('loaded', () => health.sync());
  closers.push(() => health.close(), () => sharedHealth.close());
  // Policies (rate limits, quotas, budgets; docs/limits.md), counters kept in data/state/limits.json.
  // With sil.yaml `redis:` the counters are shared through the cluster's Redis; while it cannot answer, the alert below fires.
  let sharedStateAlert: ((p: SharedStateProblem | null) => void) | null = null;
  const limitsRuntime = await startLimits({ dataDir: opts.dataDir, live, log, audit, onBudgetAlert: (a) => events.emit('budget.threshold', { ...a, spent: Math.round(a.spent * 1e6) / 1e6 }), cluster, onSharedState: (p) => sharedStateAlert?.(p) });
  recorders.push(limitsRuntime.limiter);
  closers.push(() => limitsRuntime.close());
  // Notification channels send through the hub's own bindings, as the system client sil-notifications
  // (docs/notifications.md); the alert engine reports channel failures via notify.setReporter().
  const notify = new BindingChannelDispatcher({
    snapshot: () => live.snapshot,
    call: internalCaller({ upstream, choice, auth, usage: recorder, now: () => new Date(), limits: limitsRuntime.limiter, snapshot: () => live.snapshot, log: requestLog, errorLog: log, clientName: NOTIFICATIONS_CLIENT }),
    log,
  });
  // Inbound provider webhooks at /hooks/<provider-id> (docs/inbound-webhooks.md), replays remembered in data/state.
  const inbound = await startInboundHooks({ dataDir: opts.dataDir, live, events, audit, log, remoteAddress: remoteAddressOf(live), shared: sharedReplay(cluster) });
  closers.push(() => inbound.close());
  // Outgoing webhooks (docs/webhooks.md): deliveries queued in data/state/webhooks, sent through the guarded lookup.
  const webhooks = await startWebhooks({ dataDir: opts.dataDir, live, events, lookup, userAgent: `sil/${VERSION}`, log, cluster, send: !isolated });
  closers.push(() => webhooks.close());
  // Alerts (docs/alerts.md): policy rules and built-ins, kept in data/state/alerts.json, told to the channels and the bus.
  const alertsEnvMs = Number(process.env.SIL_ALERTS_EVALUATE_MS) || 0;
  const alertsEvaluateMs = opts.alerts?.evaluateMs ?? (alertsEnvMs > 0 ? Math.max(100, alertsEnvMs) : undefined);
  // With Redis the alerts are shared; the leader evaluates and tells the channels (docs/alerts.md, "Several instances").
  const alertReplica = new SharedAlertsReplica({ cluster, log, cooldownMs: opts.alerts?.cooldownMs });
  const alerts = new AlertEngine({ dataDir: opts.dataDir, events, snapshot: () => live.snapshot, usage: usageStore, limits: limitsRuntime.limiter, ...(isolated ? {} : { dispatcher: notify }), log, replica: alertReplica, health, ...opts.alerts, ...(alertsEvaluateMs ? { evaluateMs: alertsEvaluateMs } : {}) });
  await alerts.start();
  sharedStateAlert = sharedStateAlerter(alerts);
  sharedStateAlert(limitsRuntime.sharedState());
  notify.setReporter(alerts);
  webhooks.onDisabled((name, reason) => alerts.webhookDisabled(name, reason));
  webhooks.onEnabled((name) => alerts.webhookEnabled(name));
  closers.push(() => alerts.close());
  // Remote sync (docs/remote-sync.md): follows sil.yaml `remote:`; stopped first at close, while the alerts still listen.
  const remote = startRemoteSync({ follow: !isolated, gitdir, live, exclusive: (fn) => writer.exclusive(fn), alerts, log, onMainMoved: () => void reloader.check() });
  closers.unshift(() => remote.close());
  const owner: OwnerAuth = ownerAuth({ live, dataDir: opts.dataDir, log, audit });
  const ownerAuthor = opts.author ?? { name: 'owner', email: 'owner@localhost' };
  const admin = adminApi({ live, inboundHooks: inbound.recent, writer, gitdir, catalog, vault, author: () => ownerAuthor, now: () => new Date(), log, reload: () => reloader.check(), requestLog, usage, auditLog, limits: limitsRuntime.limiter, webhooks: webhooks.dispatcher, health, alerts, remote: remote.sync, ...(usageStore ? { analytics: { usage: usageStore, snapshot: () => live.snapshot, limits: limitsRuntime.limiter, now: () => Date.now() } } : {}) });
  const app = createApp({
    live,
    version: VERSION,
    startedAt: Date.now(),
    log,
    proxy: { upstream, choice, auth, log: requestLog, usage: recorder, now: () => new Date(), audit: new ProxyAudit(audit), limits: limitsRuntime.limiter, feedback: { recent: recentRequests, relay: feedbackRelay, ...(usageStore ? { store: usageStore } : {}) } },
    owner,
    admin,
    metrics: metrics.route,
    hooks: inbound.route,
    sync: remote.route,
    cluster: () => cluster.status(),
    ...(opts.consoleDir === null ? {} : { console: consoleStatic({ root: opts.consoleDir ?? fileURLToPath(new URL('../admin/dist/', import.meta.url)), log }) }),
  });
  // Every listener is attached: the events of the start (the first config load) go out now.
  events.release();
  const limits = resolveLimits(opts.limits, openFilesLimit());
  const server = createServer(serverOptions(limits), app.callback());
  applyServerLimits(server, limits, log);
  const drain = new ServerDrain(server, log);
  await new Promise<void>((ok, fail) => {
    const listenFailed = (err: NodeJS.ErrnoException) => {
      reloader.stop();
      keyMaintenance.stop();
      void cluster.close();
      void remote.close();
      void usageStore?.close().catch(() => {});
      fail(new SilError('SIL_LISTEN', `cannot listen on ${opts.host}:${opts.port}: ${err.code ?? err.message}`, { cause: err }));
    };
    server.once('error', listenFailed);
    server.listen(opts.port, opts.host, () => {
      // Later errors (a failed accept) must neither stop the reloader nor go unhandled.
      server.off('error', listenFailed);
      logServerErrors(server, log);
      ok();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    url: `http://${host}:${port}`,
    server,
    limits,
    live,
    writer,
    reloader,
    keyMaintenance,
    requestLog,
    usage,
    limiter: limitsRuntime.limiter,
    metrics,
    usageStore,
    events,
    webhooks,
    healthMonitor: health,
    alerts,
    auditLog,
    owner,
    catalog,
    gitdir,
    notify,
    cluster,
    remoteSync: remote.sync,
    async close(options = {}) {
      // Graceful (sil start): in-flight requests finish first, up to drainMs (docs/load-balancer.md).
      if (options.drainMs !== undefined) await drain.drain(options.drainMs);
      reloader.stop();
      keyMaintenance.stop();
      health.stop();
      server.closeAllConnections();
      await Promise.all([upstream.close(), tokens.close()]);
      await new Promise<void>((ok) => server.close(() => ok()));
      for (const close of closers) await close();
      await owner.close();
      await cluster.close();
    },
  };
}
