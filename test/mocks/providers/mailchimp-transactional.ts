// Mailchimp Transactional (Mandrill) API 1.0 mock (https://mandrillapp.com/api/1.0).
// Auth (mailchimp.com/developer/transactional/docs/fundamentals/#authentication): every call is a
// POST whose JSON body carries the API key as "key"; there is no auth header. Paths may end in
// .json (the legacy mandrillapp.com/api/docs form, e.g. /users/ping.json) or not. Errors
// (…/transactional/docs/fundamentals/#errors and every SDK's test fixtures): HTTP 500 with
// {"status":"error","code":<int>,"name":<string>,"message":<string>} — a missing or wrong key is
// code -1, name "Invalid_Key", message "Invalid API key"; validation errors are name
// "ValidationError". /users/ping answers the JSON string "PONG!", /users/ping2 {"PING":"PONG!"},
// /messages/send an array of {email, status, _id, reject_reason, queued_reason}. No rate-limit
// headers are documented.
import { startMockServer, type MockAnswer, type ProviderMock } from '../../helpers/catalog/provider-mock.ts';
import { hexId, jsonObject, mediaType } from './messaging-common.ts';

export const MANDRILL_API_KEY = 'md-0123456789abcdefABCDEF';

export interface MandrillSent { _id: string; email: string; subject: string; from: string }

export interface MandrillMock extends ProviderMock {
  apiKey: string;
  sent: MandrillSent[];
  /** Refuse the key from now on (deleted in Settings → SMTP & API Info). */
  revoke(): void;
}

const mandrillError = (code: number, name: string, message: string): MockAnswer => ({ status: 500, body: { status: 'error', code, name, message } });

export async function startMailchimpTransactionalMock(opts: { apiKey?: string } = {}): Promise<MandrillMock> {
  const apiKey = opts.apiKey ?? MANDRILL_API_KEY;
  let revoked = false;
  const sent: MandrillSent[] = [];

  function send(body: Record<string, unknown>): MockAnswer {
    const message = body.message as { to?: { email?: string }[]; subject?: string; from_email?: string } | undefined;
    if (!message || typeof message !== 'object') return mandrillError(-2, 'ValidationError', 'Validation error: {"message":"Please enter an array"}');
    const to = Array.isArray(message.to) ? message.to : [];
    if (to.length === 0 || to.some((t) => !String(t.email ?? '').includes('@'))) {
      return mandrillError(-2, 'ValidationError', 'Validation error: {"message":{"to":[{"email":"An email address must contain a single @"}]}}');
    }
    return {
      status: 200,
      body: to.map((t) => {
        const row = { _id: hexId(`${t.email}|${sent.length}`), email: String(t.email), subject: String(message.subject ?? ''), from: String(message.from_email ?? '') };
        sent.push(row);
        return { email: row.email, status: 'sent', _id: row._id, reject_reason: null, queued_reason: null };
      }),
    };
  }

  const mock = Object.assign(
    await startMockServer((r) => {
      const m = /^\/api\/1\.0\/([a-z-]+\/[a-z0-9-]+)(?:\.json)?\/?$/.exec(r.path);
      if (!m) return { status: 404, body: 'Not Found' };
      // Mandrill reads the parameters from a JSON body (the key among them); a GET carries none.
      const body = r.method === 'POST' && (mediaType(r) === 'application/json' || mediaType(r) === '') ? jsonObject(r) : undefined;
      if (!body) return mandrillError(-1, 'ValidationError', 'You must specify a key value');
      if (typeof body.key !== 'string' || !body.key) return mandrillError(-1, 'ValidationError', 'You must specify a key value');
      if (body.key !== apiKey || revoked) return mandrillError(-1, 'Invalid_Key', 'Invalid API key');
      switch (m[1]) {
        case 'users/ping':
          return { status: 200, body: '"PONG!"', headers: { 'content-type': 'application/json; charset=utf-8' } };
        case 'users/ping2':
          return { status: 200, body: { PING: 'PONG!' } };
        case 'users/info':
          return { status: 200, body: { username: 'mock', reputation: 42, hourly_quota: 250, backlog: 0, stats: { today: { sent: sent.length } } } };
        case 'messages/send':
          return send(body);
        default:
          return mandrillError(-1, 'Unknown_Method', `Unknown method "${m[1].replace('/', '.')}"`);
      }
    }),
    { apiKey, sent, revoke: () => void (revoked = true) },
  );
  return mock;
}
