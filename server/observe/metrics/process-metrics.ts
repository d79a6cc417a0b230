// prom-client's default process and Node.js metrics under their standard names (process_*,
// nodejs_*), so stock Node.js dashboards work. They describe the process, not a hub, and their
// collectors (event-loop delay monitor, GC observer) cannot be stopped: one registry per process,
// made on first use and shared by every hub in it.
import { collectDefaultMetrics, Registry } from 'prom-client';

let registry: Registry | undefined;

export function processRegistry(): Registry {
  if (!registry) {
    registry = new Registry();
    collectDefaultMetrics({ register: registry });
  }
  return registry;
}
