// SendGrid Web API v3 mock (https://api.sendgrid.com/v3).
// Auth (twilio.com/docs/sendgrid/api-reference/how-to-use-the-sendgrid-v3-api/authentication):
// `Authorization: Bearer <API key>`. Errors (…/how-to-use-the-sendgrid-v3-api/errors): a JSON
// body {"errors":[{"message","field","help"}]}; a missing header is 401 "authorization required",
// a wrong, expired or revoked key 401 "The provided authorization grant is invalid, expired, or
// revoked". Rate limits (…/how-to-use-the-sendgrid-v3-api/rate-limits): every answer carries
// X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset (Unix seconds); beyond the
// limit 429 with the same headers. POST /v3/mail/send answers 202 with an empty body and an
// X-Message-Id header; GET /v3/scopes lists the key's scopes ({"scopes": [...]}).
import { startMockServer, type MockAnswer, type ProviderMock, type ReceivedRequest } from '../../helpers/catalog/provider-mock.ts';
import { hexId, jsonObject, mediaType, schemeCredentials } from './messaging-common.ts';

export const SENDGRID_API_KEY = 'SG.abcdefghijklmnopqrstuv.ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopq';

export interface SentMail { messageId: string; from: string; to: string[]; subject: string }

export interface SendgridMock extends ProviderMock {
  apiKey: string;
  sent: SentMail[];
  /** Requests allowed per window (X-RateLimit-Limit); the window resets at `resetAt` (Unix seconds). */
  limit: number;
  remaining: number;
  resetAt: number;
  /** Refuse the key from now on (deleted or revoked in the SendGrid console). */
  revoke(): void;
}

const errors = (status: number, message: string, field: string | null = null, help: string | null = null): MockAnswer => ({
  status,
  body: { errors: [{ message, field, help }] },
});

export async function startSendgridMock(opts: { apiKey?: string; limit?: number } = {}): Promise<SendgridMock> {
  const apiKey = opts.apiKey ?? SENDGRID_API_KEY;
  let revoked = false;
  const sent: SentMail[] = [];
  let mock: SendgridMock;

  const rateHeaders = (): Record<string, string> => ({
    'X-RateLimit-Limit': String(mock.limit),
    'X-RateLimit-Remaining': String(Math.max(0, mock.remaining)),
    'X-RateLimit-Reset': String(mock.resetAt),
  });

  function mailSend(r: ReceivedRequest): MockAnswer {
    const mail = mediaType(r) === 'application/json' ? jsonObject(r) : undefined;
    if (!mail) return errors(400, 'Bad Request', null, 'https://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html#message.body');
    const personalizations = mail.personalizations as { to?: { email?: string }[] }[] | undefined;
    const to = (personalizations ?? []).flatMap((p) => (p.to ?? []).map((x) => String(x.email ?? '')));
    const from = (mail.from as { email?: string } | undefined)?.email;
    if (!Array.isArray(personalizations) || to.length === 0) return errors(400, 'The personalizations field is required and must have at least one personalization.', 'personalizations', 'http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html#-Personalizations-Errors');
    if (!from) return errors(400, 'The from object must be provided for every email send. It is an object that requires the email parameter, but may also contain a name parameter.', 'from.email', 'http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html#message.from');
    if (!mail.template_id && !(Array.isArray(mail.content) && mail.content.length > 0)) return errors(400, 'Unless a valid template_id is provided, the content parameter is required.', 'content', 'http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html#message.content');
    const messageId = hexId(`${from}|${to.join(',')}|${sent.length}`, 22);
    sent.push({ messageId, from, to, subject: String(mail.subject ?? '') });
    return { status: 202, headers: { 'X-Message-Id': messageId } };
  }

  function route(r: ReceivedRequest): MockAnswer {
    if (r.path === '/v3/scopes' && r.method === 'GET') return { status: 200, body: { scopes: ['mail.send', 'stats.read', 'scopes.read'] } };
    if (r.path === '/v3/mail/send' && r.method === 'POST') return mailSend(r);
    if (r.path === '/v3/stats' && r.method === 'GET') {
      const start = r.query.get('start_date');
      if (!start) return errors(400, 'start_date is required', 'start_date');
      return { status: 200, body: [{ date: start, stats: [{ metrics: { requests: sent.length, delivered: sent.length, bounces: 0, opens: 0, clicks: 0 } }] }] };
    }
    return errors(404, 'resource not found');
  }

  mock = Object.assign(
    await startMockServer((r) => {
      const token = schemeCredentials(r, 'Bearer');
      if (token === null) return errors(401, 'authorization required');
      if (token !== apiKey || revoked) return errors(401, 'The provided authorization grant is invalid, expired, or revoked');
      mock.remaining -= 1;
      const out = mock.remaining < 0 ? errors(429, 'too many requests') : route(r);
      return { ...out, headers: { ...rateHeaders(), ...out.headers } };
    }),
    {
      apiKey, sent, limit: opts.limit ?? 600, remaining: opts.limit ?? 600, resetAt: Math.floor(Date.now() / 1000) + 60,
      revoke: () => void (revoked = true),
    },
  );
  return mock;
}
