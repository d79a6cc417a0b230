// A webhook receiver on 127.0.0.1: records every request (headers, body), answers with the
// status the test sets, and verifies signatures with the official standardwebhooks package.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { Webhook } from 'standardwebhooks';

export interface Received { headers: IncomingHttpHeaders; body: string; status: number; verified: boolean }

export interface Receiver {
  url: string;
  received: Received[];
  /** The status of the next answers (default 200). */
  answer: number;
  secret: string | null;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const r: Receiver = { url: '', received: [], answer: 200, secret: null, close: async () => {} };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let verified = false;
      try {
        if (r.secret) {
          new Webhook(r.secret).verify(body, req.headers as Record<string, string>);
          verified = true;
        }
      } catch {
        verified = false;
      }
      const status = r.answer;
      r.received.push({ headers: req.headers, body, status, verified });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'try later');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  r.url = `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`;
  r.close = () => new Promise<void>((ok) => {
    server.closeAllConnections();
    server.close(() => ok());
  });
  return r;
}
