// Everything the soak runs against, started in its temporary folder: redis-server, the two mock
// providers, the config (first data directory, remote, copies), the sil instances, nginx or the
// in-script balancer; then one request of each kind through the front, and which way config
// changes reach the instances (the remote if they follow it, else mirrored by the soak).
import { join } from 'node:path';
import { generateClientToken, hashToken } from '../../server/vault/client-token.ts';
import { startBalancer, type Balancer } from './balancer.ts';
import { ConfigRepo } from './config-repo.ts';
import { Instance, untilLive } from './instances.ts';
import { MockProvider } from './mock-providers.ts';
import { startNginx } from './nginx.ts';
import { freePort, type Processes, type Tracked } from './processes.ts';
import { SoakRedis } from './redis.ts';
import { judge, requestSpec, type RequestKind } from './requests.ts';
import type { SoakOptions } from './options.ts';

/** How often the instances pull the remote (sil.yaml remote.pullIntervalSeconds). */
export const PULL_INTERVAL_SECONDS = 3;

export interface Soak {
  front: string;
  frontName: string;
  token: string;
  redis: SoakRedis;
  primary: MockProvider;
  secondary: MockProvider;
  repo: ConfigRepo;
  instances: Instance[];
  nginx: Tracked | null;
  balancer: Balancer | null;
}

/** Parts made so far, for the clean-up when the set-up fails half-way. */
export interface Started { primary?: MockProvider; secondary?: MockProvider; balancer?: Balancer }

export async function setUp(opts: SoakOptions, dir: string, processes: Processes, started: Started, log: (line: string) => void): Promise<Soak> {
  const redis = await SoakRedis.start(processes, dir);
  log(`redis-server ${redis.url} (pid ${redis.pid})`);
  const primary = (started.primary = new MockProvider('primary', { gzip: true }));
  const secondary = (started.secondary = new MockProvider('secondary', { gzip: false }));
  await primary.start();
  await secondary.start();
  log(`mock providers: primary ${primary.url} (chunked gzip JSON, SSE), secondary ${secondary.url} (JSON with Content-Length, SSE)`);

  const token = generateClientToken();
  const repo = new ConfigRepo({ dir, instances: opts.instances, processes });
  await repo.create({ tokenHash: hashToken(token), redisUrl: redis.url, pullIntervalSeconds: PULL_INTERVAL_SECONDS, primaryUrl: primary.url, secondaryUrl: secondary.url });
  log(`config: ${repo.dataDirs.length} data directories (copies of the first), remote ${repo.remote}`);

  const ports = await Promise.all(repo.dataDirs.map(() => freePort()));
  const instances = repo.dataDirs.map((dataDir, i) => new Instance({ name: String.fromCharCode(97 + i), port: ports[i]!, dataDir, processes, logDir: dir }));
  await Promise.all(instances.map((i) => i.start()));
  log(`sil instances: ${instances.map((i) => `${i.name} ${i.url} (pid ${i.pid}, log ${i.log})`).join(', ')}`);

  let nginx: Tracked | null = null;
  let front: string;
  if (opts.nginx) {
    const port = await freePort();
    nginx = await startNginx(processes, dir, port, ports);
    front = `http://127.0.0.1:${port}`;
    log(`nginx ${front} (pid ${nginx.child.pid}, config ${join(dir, 'nginx', 'nginx.conf')})`);
  } else {
    const balancer = (started.balancer = await startBalancer(ports));
    front = balancer.url;
    log(`in-script round-robin balancer ${front}`);
  }

  for (const kind of ['chat', 'stream', 'bind'] as RequestKind[]) {
    const spec = requestSpec(kind);
    const res = await fetch(`${front}${spec.path}`, { method: spec.method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'accept-encoding': 'gzip' }, body: spec.body, signal: AbortSignal.timeout(15_000) });
    const text = await res.text();
    const j = judge(kind, res.status, text);
    if (j.outcome !== 'ok') throw new Error(`set-up: a ${kind} request through ${front} was not answered well (${j.reason}): ${text.slice(0, 400)}`);
  }
  log('one request of each kind (chat, stream, /bind) answered through the front');

  // Does every instance follow the remote? A harmless commit pushed to it must go live everywhere.
  const commit = await repo.push(0, 'sync check');
  const waitMs = PULL_INTERVAL_SECONDS * 3000 + 5000;
  const took = await untilLive(instances, commit, waitMs);
  if (took !== null) log(`config changes reach the instances through the remote (sil.yaml remote:, pulled every ${PULL_INTERVAL_SECONDS} s): the first push was live on every instance after ${(took / 1000).toFixed(1)} s`);
  else {
    const mirrored = await repo.mirror();
    const again = await untilLive(instances, mirrored, 30_000);
    if (again === null) throw new Error(`set-up: commit ${mirrored.slice(0, 7)} pushed into every data directory did not go live on every instance within 30 s`);
    log(`the instances did not pull the remote within ${waitMs / 1000} s (remote sync not working here): the soak pushes each config change into every data directory itself (mirror)`);
  }
  return { front, frontName: opts.nginx ? 'nginx' : 'the in-script balancer', token, redis, primary, secondary, repo, instances, nginx, balancer: started.balancer ?? null };
}
