// nginx in front of the instances: a config written to the soak's folder (every path inside it,
// `daemon off` so that its master is the process the soak started and stops), free ports.
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { tail, type Processes, type Tracked } from './processes.ts';

export const NGINX = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p)) ?? null;

/**
 * The config: round robin over the instances; an instance that refuses a connection or fails
 * before answering is passed over and the request goes to the next (POSTs too: nginx buffers the
 * request body, and it resends only when the connection failed before the request was sent).
 * No keep-alive to the instances, so that a stopping instance is never sent a request on a
 * connection it is closing. Answers are not buffered: streams pass through as they come.
 */
export function nginxConfig(o: { prefix: string; listenPort: number; upstreamPorts: readonly number[] }): string {
  const p = (name: string) => join(o.prefix, name);
  return `daemon off;
worker_processes 1;
pid ${p('nginx.pid')};
error_log ${p('nginx-error.log')} warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${p('tmp/body')};
  proxy_temp_path ${p('tmp/proxy')};
  fastcgi_temp_path ${p('tmp/fastcgi')};
  uwsgi_temp_path ${p('tmp/uwsgi')};
  scgi_temp_path ${p('tmp/scgi')};
  upstream sil {
${o.upstreamPorts.map((port) => `    server 127.0.0.1:${port} max_fails=1 fail_timeout=2s;`).join('\n')}
  }
  server {
    listen 127.0.0.1:${o.listenPort};
    client_max_body_size 10m;
    location / {
      proxy_pass http://sil;
      proxy_http_version 1.1;
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_buffering off;
      proxy_next_upstream error timeout;
      proxy_next_upstream_tries ${o.upstreamPorts.length};
      proxy_connect_timeout 2s;
      proxy_read_timeout 120s;
    }
  }
}
`;
}

export async function startNginx(processes: Processes, dir: string, listenPort: number, upstreamPorts: readonly number[]): Promise<Tracked> {
  if (!NGINX) throw new Error('nginx is not installed (Debian: apt-get install nginx-light), or run the soak with --no-nginx');
  const prefix = join(dir, 'nginx');
  mkdirSync(join(prefix, 'tmp'), { recursive: true });
  const conf = join(prefix, 'nginx.conf');
  writeFileSync(conf, nginxConfig({ prefix, listenPort, upstreamPorts }));
  const proc = processes.spawn('nginx', NGINX, ['-p', prefix, '-c', conf, '-e', join(prefix, 'nginx-error.log')], { log: join(dir, 'nginx.log') });
  // nginx prints nothing when it starts well: wait until the port answers.
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (!processes.running(proc)) throw new Error(`nginx exited at start:\n${tail(join(prefix, 'nginx-error.log'))}\n${tail(proc.log)}`);
    try {
      await fetch(`http://127.0.0.1:${listenPort}/healthz`, { signal: AbortSignal.timeout(1000) });
      return proc;
    } catch {
      if (Date.now() > deadline) throw new Error(`nginx did not answer on ${listenPort} within 10 s; see ${prefix}/nginx-error.log`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
