// Twilio REST API 2010-04-01 mock (https://api.twilio.com/2010-04-01).
// Auth, as documented (twilio.com/docs/usage/api, /docs/iam/api-keys, error 20003 page): HTTP
// Basic with the Account SID and Auth Token, or an API key SID (SK...) and its secret; the account
// SID in the path must be the authenticated account's. A failure is 401 with
// `WWW-Authenticate: Basic realm="Twilio API"` and Twilio's error object
// {code, message, more_info, status} (code 20003 "Authenticate"). Standard API keys may not read
// the Accounts resource (docs/iam/api-keys: no access to account configuration): 403, code 20003.
// Bodies are application/x-www-form-urlencoded; Messages.json POST answers 201 with the Message
// resource (sid SM..., status "queued", price null until sent). Too many concurrent requests:
// 429, code 20429; Twilio documents no rate-limit headers on success.
import { startMockServer, type MockAnswer, type ProviderMock, type ReceivedRequest } from '../../helpers/catalog/provider-mock.ts';
import { basicCredentials, hexId, mediaType } from './messaging-common.ts';

export interface TwilioMockOptions {
  accountSid?: string;
  authToken?: string;
  apiKeySid?: string;
  apiKeySecret?: string;
  /** Let standard API keys read /Accounts/{sid}.json (Twilio refuses them: 403). */
  keysReadAccount?: boolean;
}

export interface TwilioMessage { sid: string; to: string; from: string; body: string }

export interface TwilioMock extends ProviderMock {
  accountSid: string;
  authToken: string;
  apiKeySid: string;
  apiKeySecret: string;
  /** Messages created through Messages.json. */
  messages: TwilioMessage[];
  /** Refuse a credential from now on (the auth token or key SID), as when it is rotated or the key deleted; all when none given. */
  revoke(who?: 'authToken' | 'apiKey'): void;
  /** Answer every request with 429 (error 20429) while on. */
  rateLimited: boolean;
}

export const TWILIO_ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
export const TWILIO_AUTH_TOKEN = 'f0e1d2c3b4a5968778695a4b3c2d1e0f';
export const TWILIO_API_KEY_SID = 'SKfedcba9876543210fedcba9876543210';
export const TWILIO_API_KEY_SECRET = 'k3yS3cretOfTw1lioAp1Key0123456789';

const error = (status: number, code: number, message: string, headers: Record<string, string> = {}): MockAnswer => ({
  status,
  headers,
  body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
});
const unauthenticated = (): MockAnswer => error(401, 20003, 'Authenticate', { 'WWW-Authenticate': 'Basic realm="Twilio API"' });

export async function startTwilioMock(opts: TwilioMockOptions = {}): Promise<TwilioMock> {
  const accountSid = opts.accountSid ?? TWILIO_ACCOUNT_SID;
  const authToken = opts.authToken ?? TWILIO_AUTH_TOKEN;
  const apiKeySid = opts.apiKeySid ?? TWILIO_API_KEY_SID;
  const apiKeySecret = opts.apiKeySecret ?? TWILIO_API_KEY_SECRET;
  const revoked = new Set<string>();
  const messages: TwilioMessage[] = [];
  let mock: TwilioMock;

  /** 'account' (SID + auth token), 'key' (API key), or null when Twilio would refuse. */
  function principal(r: ReceivedRequest): 'account' | 'key' | null {
    const c = basicCredentials(r);
    if (!c) return null;
    if (c.user === accountSid && c.password === authToken && !revoked.has('authToken')) return 'account';
    if (c.user === apiKeySid && c.password === apiKeySecret && !revoked.has('apiKey')) return 'key';
    return null;
  }

  const account = () => ({
    sid: accountSid, friendly_name: 'Mock account', status: 'active', type: 'Full',
    owner_account_sid: accountSid, date_created: 'Mon, 01 Jan 2024 00:00:00 +0000',
    uri: `/2010-04-01/Accounts/${accountSid}.json`,
    subresource_uris: { messages: `/2010-04-01/Accounts/${accountSid}/Messages.json`, balance: `/2010-04-01/Accounts/${accountSid}/Balance.json` },
  });

  function createMessage(r: ReceivedRequest): MockAnswer {
    if (mediaType(r) !== 'application/x-www-form-urlencoded') return error(400, 20001, 'Content-Type must be application/x-www-form-urlencoded');
    const form = new URLSearchParams(r.body.toString('utf8'));
    const to = form.get('To');
    const from = form.get('From') ?? form.get('MessagingServiceSid');
    const body = form.get('Body') ?? '';
    if (!to) return error(400, 21604, "A 'To' phone number is required.");
    if (!from) return error(400, 21603, "A 'From' or 'MessagingServiceSid' parameter is required to send a message.");
    if (!body && !form.get('MediaUrl') && !form.get('ContentSid')) return error(400, 21602, 'Message body is required.');
    const sid = `SM${hexId(`${to}|${body}|${messages.length}`)}`;
    messages.push({ sid, to, from, body });
    return {
      status: 201,
      body: {
        sid, account_sid: accountSid, to, from, body, status: 'queued', direction: 'outbound-api',
        num_segments: String(Math.max(1, Math.ceil(body.length / 160))), num_media: '0', price: null, price_unit: 'USD',
        error_code: null, error_message: null, api_version: '2010-04-01', messaging_service_sid: form.get('MessagingServiceSid'),
        date_created: 'Mon, 01 Jan 2024 00:00:00 +0000', date_sent: null, date_updated: 'Mon, 01 Jan 2024 00:00:00 +0000',
        uri: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`,
      },
    };
  }

  mock = Object.assign(
    await startMockServer((r) => {
      if (mock.rateLimited) return error(429, 20429, 'Too Many Requests');
      const m = /^\/2010-04-01\/Accounts\/([^/]+?)(\.json|\/.*)?$/.exec(r.path);
      if (!m) return error(404, 20404, 'The requested resource was not found');
      const who = principal(r);
      // Credentials of another account (e.g. a subaccount's on the main account) are refused the same way.
      if (!who || m[1] !== accountSid) return unauthenticated();
      const rest = m[2] ?? '';
      if (rest === '.json' && r.method === 'GET') {
        return who === 'key' && !opts.keysReadAccount ? error(403, 20003, 'Permission Denied') : { status: 200, body: account() };
      }
      if (rest === '/Messages.json' && r.method === 'POST') return createMessage(r);
      if (rest === '/Messages.json' && r.method === 'GET') {
        const size = Number(r.query.get('PageSize') ?? 50);
        if (!Number.isInteger(size) || size < 1 || size > 1000) return error(400, 20001, 'Invalid PageSize');
        const list = messages.slice(0, size).map((x) => ({ sid: x.sid, to: x.to, from: x.from, body: x.body, status: 'queued' }));
        return { status: 200, body: { messages: list, page: 0, page_size: size, first_page_uri: `/2010-04-01/Accounts/${accountSid}/Messages.json?PageSize=${size}&Page=0`, next_page_uri: null } };
      }
      if (rest === '/Balance.json' && r.method === 'GET') return { status: 200, body: { account_sid: accountSid, balance: '20.00', currency: 'USD' } };
      return error(404, 20404, 'The requested resource was not found');
    }),
    {
      accountSid, authToken, apiKeySid, apiKeySecret, messages, rateLimited: false,
      revoke: (who?: 'authToken' | 'apiKey') => {
        for (const w of who ? [who] : (['authToken', 'apiKey'] as const)) revoked.add(w);
      },
    },
  );
  return mock;
}
