// A real hub (in process, on 127.0.0.1) with one instance of a catalog template whose origins
// point at a provider mock, bindings onto it and a client `web`, for the catalog's proxy, health
// and usage tests. Health probes run every 250 ms so a test can read the latest one.
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startHub, type Hub } from '../../../server/main.ts';
import type { UsageRecord } from '../../../server/observe/usage-recorder.ts';
import type { ProbeResult } from '../../../server/observe/health/types.ts';
import { makeTestDataDir } from '../test-data-dir.ts';
import { tempDir } from '../tmp.ts';

export interface TemplateHubOptions {
  /** The catalog template; the instance id is the same. */
  template: string;
  /** providers/<id>.yaml `origins:`: every origin the template calls → the mock's. */
  origins: Record<string, string>;
  connection?: Record<string, string | number | boolean>;
  authOption?: string;
  /** The key's credentials, stored in the vault. */
  secret: Record<string, string>;
  /** Binding name → its protocol and one target on the instance. */
  bindings: Record<string, { protocol: string; service?: string; model?: string }>;
  /** More config files. */
  files?: Record<string, string>;
}

export interface UsageSum { requests: number; inputTokens: number; outputTokens: number; cachedInputTokens: number; cost: number; seconds?: number; units?: number }

export interface TemplateHub {
  url: string;
  /** The client `web`'s token. */
  token: string;
  hub: Hub;
  logs: string[];
  /** fetch(url + path) with `Authorization: Bearer <token>` unless init.headers carry x-sil-key. */
  door(path: string, init?: RequestInit): Promise<Response>;
  /** The instance's next health probe made by the hub, after this call. */
  healthProbe(): Promise<ProbeResult>;
  /** What the hub recorded for the binding's answers (undefined before any). */
  usageFor(binding: string): UsageSum | undefined;
  stop(): Promise<void>;
}

const PROBE_WAIT_MS = 8000;

function add(sum: UsageSum, r: UsageRecord): void {
  sum.requests++;
  sum.inputTokens += r.usage.inputTokens ?? 0;
  sum.outputTokens += r.usage.outputTokens ?? 0;
  sum.cachedInputTokens += r.usage.cachedInputTokens ?? 0;
  sum.cost += r.cost ?? 0;
  if (r.usage.seconds !== undefined) sum.seconds = (sum.seconds ?? 0) + r.usage.seconds;
  if (r.usage.units !== undefined) sum.units = (sum.units ?? 0) + r.usage.units;
}

export async function startTemplateHub(o: TemplateHubOptions): Promise<TemplateHub> {
  const id = o.template;
  const provider = { id, name: id, environment: 'prod', template: id, ...(o.connection ? { connection: o.connection } : {}), ...(o.authOption ? { authOption: o.authOption } : {}), origins: o.origins };
  const files: Record<string, string> = { 'sil.yaml': 'version: 1\nenvironments: [dev, prod]\n', [`providers/${id}.yaml`]: stringify(provider) };
  for (const [name, b] of Object.entries(o.bindings)) {
    const target = { provider: id, ...(b.service ? { service: b.service } : {}), ...(b.model ? { model: b.model } : {}) };
    files[`bindings/${name}.yaml`] = stringify({ name, environment: 'prod', protocol: b.protocol, targets: [target] });
  }
  Object.assign(files, o.files);
  const tmp = tempDir(`sil-catalog-${id}-`);
  const data = join(tmp.path, 'data');
  const { token } = await makeTestDataDir(data, files, { [id]: o.secret }, `catalog test: ${id}`);
  const logs: string[] = [];
  const usage = new Map<string, UsageSum>();
  const recorder = { record(r: UsageRecord) {
    let sum = usage.get(r.binding);
    if (!sum) usage.set(r.binding, (sum = { requests: 0, inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cost: 0 }));
    add(sum, r);
  } };
  const hub = await startHub({ dataDir: data, host: '127.0.0.1', port: 0, log: (l) => logs.push(l), health: { probes: true, intervalMs: 250, tickMs: 250 }, usageRecorders: [recorder], usageStore: false });
  if (!hub.live.snapshot?.providers.has(id)) {
    await hub.close();
    tmp.cleanup();
    throw new Error(`${id}: the config did not load:\n${logs.join('\n')}`);
  }
  return {
    url: hub.url,
    token,
    hub,
    logs,
    door(path, init = {}) {
      const headers = new Headers(init.headers);
      if (!headers.has('x-sil-key') && !headers.has('authorization')) headers.set('authorization', `Bearer ${token}`);
      return fetch(`${hub.url}${path}`, { ...init, headers });
    },
    async healthProbe() {
      const since = Date.now();
      const deadline = since + PROBE_WAIT_MS;
      while (Date.now() < deadline) {
        const h = hub.healthMonitor.get(id);
        const probes = [h?.lastProbe, ...(h?.keys ?? []).map((k) => k.lastProbe)].filter((p): p is ProbeResult => p !== undefined && p.at >= since);
        if (probes.length > 0) return probes.sort((a, b) => b.at - a.at)[0];
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`${id}: no health probe within ${PROBE_WAIT_MS} ms (${hub.healthMonitor.get(id)?.reason ?? 'no record'})`);
    },
    usageFor: (binding) => usage.get(binding),
    async stop() {
      await hub.close();
      tmp.cleanup();
    },
  };
}
