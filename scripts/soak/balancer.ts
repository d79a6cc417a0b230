// --no-nginx: a small round-robin HTTP balancer in the soak's own process. Like the nginx config
// (nginx.ts): no keep-alive to the instances, a request whose connection is refused goes to the
// next instance (its body is held, so POSTs too), answers stream through as they come.
import { createServer, request, type IncomingMessage, type Server } from 'node:http';

export interface Balancer { url: string; close(): Promise<void> }

export async function startBalancer(upstreamPorts: readonly number[]): Promise<Balancer> {
  let next = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const first = next++ % upstreamPorts.length;
      const attempt = (tried: number) => {
        const port = upstreamPorts[(first + tried) % upstreamPorts.length]!;
        const headers = { ...req.headers, connection: 'close', 'x-forwarded-for': req.socket.remoteAddress ?? '' };
        const up = request({ host: '127.0.0.1', port, method: req.method, path: req.url, headers, agent: false, timeout: 120_000 }, (answer: IncomingMessage) => {
          const { connection: _c, 'keep-alive': _k, ...passed } = answer.headers;
          res.writeHead(answer.statusCode ?? 502, passed);
          answer.pipe(res);
          answer.on('error', () => res.destroy());
        });
        up.on('timeout', () => up.destroy(new Error('timeout')));
        up.on('error', (err: NodeJS.ErrnoException) => {
          // Only a refused or failed connection is retried: the request never reached an instance.
          if (!res.headersSent && err.code === 'ECONNREFUSED' && tried + 1 < upstreamPorts.length) return attempt(tried + 1);
          if (!res.headersSent) {
            res.writeHead(502, { 'content-type': 'text/plain' });
            res.end(`soak balancer: ${err.code ?? err.message}\n`);
          } else res.destroy();
        });
        up.end(body);
      };
      attempt(0);
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () => new Promise<void>((ok) => {
      server.close(() => ok());
      server.closeAllConnections();
    }),
  };
}
