// Mailchimp Marketing API 3.0 mock (https://<dc>.api.mailchimp.com/3.0).
// Auth (mailchimp.com/developer/marketing/docs/fundamentals/#api-structure): HTTP Basic with any
// user name and the API key as password; the key ends in -<dc> and only works on that data
// center's host (one mock = one data center). Errors (…/docs/errors/) are RFC 7807
// application/problem+json {type, title, status, detail, instance}: 401 "API Key Missing" /
// "API Key Invalid" ("Your API key may be invalid, or you've attempted to access the wrong
// datacenter."), 400 "Invalid Resource", 404 "Resource Not Found", 429 "Too Many Requests" (more
// than 10 simultaneous connections; no rate-limit headers are documented). GET /ping answers
// {"health_status": "Everything's Chimpy!"} (marketing API reference, Ping).
import { createHash, randomUUID } from 'node:crypto';
import { startMockServer, type MockAnswer, type ProviderMock, type ReceivedRequest } from '../../helpers/catalog/provider-mock.ts';
import { basicCredentials, jsonObject } from './messaging-common.ts';

export const MAILCHIMP_DC = 'us6';
export const MAILCHIMP_API_KEY = `0123456789abcdef0123456789abcdef-${MAILCHIMP_DC}`;

export interface MailchimpMember { id: string; email_address: string; status: string; list_id: string }

export interface MailchimpMock extends ProviderMock {
  dc: string;
  apiKey: string;
  members: MailchimpMember[];
  /** Refuse the key from now on (disabled in the account). */
  revoke(): void;
  /** Answer 429 while on (too many simultaneous connections). */
  rateLimited: boolean;
}

const ERRORS_DOC = 'https://mailchimp.com/developer/marketing/docs/errors/';
export const problem = (status: number, title: string, detail: string, extra: Record<string, unknown> = {}): MockAnswer => ({
  status,
  headers: { 'content-type': 'application/problem+json; charset=utf-8' },
  body: JSON.stringify({ type: ERRORS_DOC, title, status, detail, instance: randomUUID(), ...extra }),
});

export async function startMailchimpMock(opts: { dc?: string; apiKey?: string; listId?: string } = {}): Promise<MailchimpMock> {
  const dc = opts.dc ?? MAILCHIMP_DC;
  const apiKey = opts.apiKey ?? MAILCHIMP_API_KEY;
  const listId = opts.listId ?? 'a1b2c3d4e5';
  let revoked = false;
  const members: MailchimpMember[] = [];
  let mock: MailchimpMock;

  function addMember(r: ReceivedRequest, list: string): MockAnswer {
    if (list !== listId) return problem(404, 'Resource Not Found', 'The requested resource could not be found.');
    const body = jsonObject(r);
    if (!body) return problem(400, 'JSON Parse Error', "We encountered an unspecified JSON parsing error.");
    const email = String(body.email_address ?? '');
    const status = String(body.status ?? '');
    const errors = [
      ...(email.includes('@') ? [] : [{ field: 'email_address', message: 'This value should not be blank.' }]),
      ...(['subscribed', 'unsubscribed', 'cleaned', 'pending', 'transactional'].includes(status) ? [] : [{ field: 'status', message: 'Data presented is not one of the accepted values.' }]),
    ];
    if (errors.length) return problem(400, 'Invalid Resource', "The resource submitted could not be validated. For field-specific details, see the 'errors' array.", { errors });
    if (members.some((m) => m.email_address === email)) return problem(400, 'Member Exists', `${email} is already a list member. Use PUT to insert or update list members.`);
    const member = { id: createHash('md5').update(email.toLowerCase()).digest('hex'), email_address: email, status, list_id: list };
    members.push(member);
    return { status: 200, body: { ...member, unique_email_id: member.id.slice(0, 10), merge_fields: body.merge_fields ?? {} } };
  }

  mock = Object.assign(
    await startMockServer((r) => {
      const basic = basicCredentials(r);
      if (!basic) return problem(401, 'API Key Missing', 'Your request did not include an API key.');
      // The key's suffix names its data center: a key of another data center is refused here.
      if (basic.password !== apiKey || !apiKey.endsWith(`-${dc}`) || revoked) {
        return problem(401, 'API Key Invalid', "Your API key may be invalid, or you've attempted to access the wrong datacenter.");
      }
      if (mock.rateLimited) return problem(429, 'Too Many Requests', 'You have exceeded the limit of 10 simultaneous connections.');
      if (r.path === '/3.0/ping' && r.method === 'GET') return { status: 200, body: { health_status: "Everything's Chimpy!" } };
      if (r.path === '/3.0/lists' && r.method === 'GET') {
        return { status: 200, body: { lists: [{ id: listId, name: 'Mock audience', stats: { member_count: members.length } }], total_items: 1, _links: [] } };
      }
      const m = /^\/3\.0\/lists\/([^/]+)\/members$/.exec(r.path);
      if (m && r.method === 'POST') return addMember(r, m[1]);
      return problem(404, 'Resource Not Found', 'The requested resource could not be found.');
    }),
    { dc, apiKey, members, rateLimited: false, revoke: () => void (revoked = true) },
  );
  return mock;
}
