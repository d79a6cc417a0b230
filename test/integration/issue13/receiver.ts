// A webhook receiver on 127.0.0.1 (node:http): records every delivery (headers, body, parsed
// event, whether its signature verifies with the official standardwebhooks package) and answers
// with the status the test sets.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { Webhook } from 'standardwebhooks';

export interface Delivery {
  id: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The parsed payload ({type, timestamp, data}). */
  event: { type: string; timestamp: string; data: Record<string, unknown> };
  /**
   * Whether the signature verifies with the receiver's secret, checked when read: a delivery may
   * arrive before the test has the secret (the hub sends the subscription's own commit while the
   * API answer that carries the secret is still on its way).
   */
  readonly verified: boolean;
  /** What the receiver answered. */
  status: number;
}

export interface Receiver {
  url: string;
  deliveries: Delivery[];
  /** The status of the next answers (default 200). */
  answer: number;
  /** The whsec_ secret signatures are checked with. */
  secret: string | null;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const r: Receiver = { url: '', deliveries: [], answer: 200, secret: null, close: async () => {} };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let event: Delivery['event'];
      try {
        event = JSON.parse(body) as Delivery['event'];
      } catch {
        event = { type: '', timestamp: '', data: {} };
      }
      const status = r.answer;
      const headers = req.headers;
      r.deliveries.push({
        id: String(headers['webhook-id'] ?? ''), headers, body, event, status,
        get verified() {
          try {
            new Webhook(r.secret ?? '').verify(body, headers as Record<string, string>);
            return true;
          } catch {
            return false;
          }
        },
      });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'broken');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  r.url = `http://127.0.0.1:${(server.address() as { port: number }).port}/sil`;
  r.close = () => new Promise<void>((ok) => {
    server.closeAllConnections();
    server.close(() => ok());
  });
  return r;
}
