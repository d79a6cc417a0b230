// A hub of a cluster in its own process, so that a test can kill it (SIGKILL: a leader that
// dies without giving its lease up). argv[2] is JSON { dataDir, instanceId, leaseMs, health,
// alerts, keyMaintenanceMs }. Prints "sil listening on <url>" once it listens; closes on SIGTERM.
import { startHub } from '../../../server/main.ts';

const o = JSON.parse(process.argv[2] ?? '{}') as { dataDir: string; instanceId: string; leaseMs: number; health?: { probes?: boolean; intervalMs?: number; tickMs?: number }; alerts?: { evaluateMs?: number }; keyMaintenanceMs?: number };
const hub = await startHub({ dataDir: o.dataDir, host: '127.0.0.1', port: 0, pollMs: 50, consoleDir: null, usageStore: false, keyMaintenanceMs: o.keyMaintenanceMs ?? 3_600_000, log: (line) => process.stderr.write(`${line}\n`), cluster: { leaseMs: o.leaseMs, instanceId: o.instanceId }, ...(o.health ? { health: o.health } : {}), ...(o.alerts ? { alerts: o.alerts } : {}) });
process.stdout.write(`sil listening on ${hub.url}\n`);
process.once('SIGTERM', () => {
  hub.close().then(() => process.exit(0), () => process.exit(1));
});
