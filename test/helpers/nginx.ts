// A real nginx for tests, running the shipped deploy/nginx/sil.conf: the instance addresses and
// the TLS server replaced by loopback ones, everything else as shipped. It runs in the
// foreground as one process (no workers: no user switch, no root needed) with its pid, logs and
// temporary files in a temporary directory, on a free port.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { connect } from 'node:net';
import { freePort } from './free-port.ts';
import { join } from 'node:path';
import { tempDir } from './tmp.ts';

export const NGINX_BIN = '/usr/sbin/nginx';
export const SHIPPED_CONFIG = new URL('../../deploy/nginx/sil.conf', import.meta.url);
/** The instance addresses as written in deploy/nginx/sil.conf. */
const SHIPPED_INSTANCES = ['10.0.0.11:8080', '10.0.0.12:8080'] as const;

export interface NginxTestOptions {
  /** host:port of the first and second instance. */
  instances: [string, string];
  port: number;
  /** Directory for pid, logs and temporary files. */
  prefix: string;
  /** Overrides of the shipped `fail_timeout=10s` / `max_fails=1` (e.g. "3s" to keep a test short). */
  failTimeout?: string;
  maxFails?: number;
}

/** One access-log line: when, what, and which instances nginx tried (in order). */
export interface AccessEntry { atMs: number; method: string; uri: string; status: number; upstreams: string[]; upstreamStatuses: string[]; bytes: number }

/** The `server {}` blocks at the top level of the shipped file (they start at column 0). */
function topLevelServerBlocks(text: string): { start: number; end: number; body: string }[] {
  const lines = text.split('\n');
  const blocks: { start: number; end: number; body: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== 'server {') continue;
    const end = lines.indexOf('}', i);
    if (end < 0) throw new Error('deploy/nginx/sil.conf: a top-level server block has no closing "}" at column 0');
    blocks.push({ start: i, end, body: lines.slice(i, end + 1).join('\n') });
    i = end;
  }
  return blocks;
}

/** The complete nginx.conf for a test, from the text of deploy/nginx/sil.conf. */
export function nginxTestConfig(shipped: string, o: NginxTestOptions): string {
  let site = shipped;
  SHIPPED_INSTANCES.forEach((addr, i) => {
    if (!site.includes(addr)) throw new Error(`deploy/nginx/sil.conf no longer names the instance ${addr}; update test/helpers/nginx.ts`);
    site = site.split(addr).join(o.instances[i]);
  });
  if (o.failTimeout) site = site.replaceAll('fail_timeout=10s', `fail_timeout=${o.failTimeout}`);
  if (o.maxFails !== undefined) site = site.replaceAll('max_fails=1', `max_fails=${o.maxFails}`);
  const servers = topLevelServerBlocks(site);
  const redirect = servers.find((b) => /^\s*listen 80;/m.test(b.body));
  const main = servers.find((b) => /^\s*listen 443 ssl/m.test(b.body));
  if (!redirect || !main) throw new Error('deploy/nginx/sil.conf: expected a port-80 redirect server and a TLS server; update test/helpers/nginx.ts');
  const plainMain = main.body
    .split('\n')
    .filter((l) => !/^\s*(listen|ssl_\w+)\s/.test(l))
    .join('\n')
    .replace('server {', `server {\n    listen 127.0.0.1:${o.port};`);
  site = site.replace(redirect.body, '').replace(main.body, plainMain);
  const p = o.prefix;
  return `daemon off;
master_process off;
pid ${p}/nginx.pid;
error_log ${p}/error.log info;
events { worker_connections 2048; }
http {
    log_format sil_test '$msec $request_method $request_uri $status $body_bytes_sent "$upstream_addr" "$upstream_status"';
    access_log ${p}/access.log sil_test;
    client_body_temp_path ${p}/tmp/body;
    proxy_temp_path ${p}/tmp/proxy;
    fastcgi_temp_path ${p}/tmp/fastcgi;
    uwsgi_temp_path ${p}/tmp/uwsgi;
    scgi_temp_path ${p}/tmp/scgi;
${site}
}
`;
}

export function parseAccessLog(text: string): AccessEntry[] {
  const out: AccessEntry[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\d+\.\d+) (\S+) (\S+) (\d+) (\d+) "([^"]*)" "([^"]*)"$/.exec(line);
    if (!m) continue;
    const list = (s: string) => (s === '-' || s === '' ? [] : s.split(/\s*[,:]\s+/).filter((x) => x !== ''));
    out.push({ atMs: Math.round(Number(m[1]) * 1000), method: m[2], uri: m[3], status: Number(m[4]), bytes: Number(m[5]), upstreams: list(m[6]), upstreamStatuses: list(m[7]) });
  }
  return out;
}


const accepts = (port: number) => new Promise<boolean>((resolve) => {
  const c = connect(port, '127.0.0.1');
  c.once('connect', () => (c.destroy(), resolve(true)));
  c.once('error', () => resolve(false));
});

export interface TestNginx {
  url: string;
  port: number;
  prefix: string;
  child: ChildProcess;
  config: string;
  accessLog(): AccessEntry[];
  errorLog(): string;
  stop(): Promise<void>;
}

/** Starts nginx on a free port in front of the two instances; stop() ends it (SIGTERM, then SIGKILL) and removes its directory. */
export async function startNginx(instances: [string, string], opts: Pick<NginxTestOptions, 'failTimeout' | 'maxFails'> = {}): Promise<TestNginx> {
  const tmp = tempDir('sil-nginx-');
  const prefix = tmp.path;
  for (const d of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(prefix, 'tmp', d), { recursive: true });
  const shipped = readFileSync(SHIPPED_CONFIG, 'utf8');
  let lastError = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const config = nginxTestConfig(shipped, { instances, port, prefix, ...opts });
    writeFileSync(join(prefix, 'nginx.conf'), config);
    const child = spawn(NGINX_BIN, ['-p', `${prefix}/`, '-c', join(prefix, 'nginx.conf'), '-e', join(prefix, 'error.log')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
    const errorLog = () => (existsSync(join(prefix, 'error.log')) ? readFileSync(join(prefix, 'error.log'), 'utf8') : '');
    const deadline = Date.now() + 10_000;
    let up = false;
    while (!up && child.exitCode === null && child.signalCode === null && Date.now() < deadline) {
      up = await accepts(port);
      if (!up) await new Promise((r) => setTimeout(r, 50));
    }
    if (up) {
      return {
        url: `http://127.0.0.1:${port}`,
        port,
        prefix,
        child,
        config,
        accessLog: () => parseAccessLog(existsSync(join(prefix, 'access.log')) ? readFileSync(join(prefix, 'access.log'), 'utf8') : ''),
        errorLog,
        async stop() {
          if (child.exitCode === null && child.signalCode === null) {
            child.kill('SIGTERM');
            const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
            await exited;
            clearTimeout(killer);
          }
          tmp.cleanup();
        },
      };
    }
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
    lastError = `${output}\n${errorLog()}`;
    if (!/Address already in use/.test(lastError)) break; // another process took the free port: try another
  }
  tmp.cleanup();
  throw new Error(`nginx did not start:\n${lastError}`);
}
