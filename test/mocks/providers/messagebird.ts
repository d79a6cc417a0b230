// MessageBird legacy REST API (https://rest.messagebird.com) and Bird platform API
// (https://api.bird.com/workspaces/{workspaceId}) mock: both origins map to this one server (their
// paths do not overlap). Auth (developers.messagebird.com/api/#authentication and
// docs.bird.com/api/api-access/api-authorization): `Authorization: AccessKey <key>`.
// Legacy errors (developers.messagebird.com/api/#errors; SDK fixtures): {"errors":[{code,
// description, parameter}]}, a wrong or missing key 401 with code 2 "Request not allowed
// (incorrect access_key)", parameter "access_key". GET /balance → {payment, type, amount};
// POST /messages (form or JSON: originator, recipients, body) → 201 with the message object.
// Bird platform (docs.bird.com/api/api-access/common-api-usage, channels API reference): JSON
// answers, GET /workspaces/{id}/channels → {results:[...]}, POST .../channels/{id}/messages → 202;
// its error body is {code, message} (the exact code strings are not documented; "Unauthorized" and
// "NotFound" here). Neither API documents rate-limit headers.
import { startMockServer, type MockAnswer, type ProviderMock, type ReceivedRequest } from '../../helpers/catalog/provider-mock.ts';
import { hexId, params, schemeCredentials } from './messaging-common.ts';

export const MESSAGEBIRD_ACCESS_KEY = 'live_AbCdEfGhIjKlMnOpQrStUvWx1';
export const BIRD_WORKSPACE_ID = '1b3a9e7c-2d4f-4a6b-8c0d-9e8f7a6b5c4d';

export interface BirdSms { id: string; originator: string; recipients: string[]; body: string }

export interface MessagebirdMock extends ProviderMock {
  accessKey: string;
  workspaceId: string;
  /** Legacy SMS messages and Bird channel messages created. */
  sms: BirdSms[];
  channelMessages: { id: string; channelId: string; body: unknown }[];
  /** Refuse the key from now on (deleted in the dashboard). */
  revoke(): void;
}

const legacyError = (status: number, code: number, description: string, parameter: string | null = null): MockAnswer => ({
  status,
  body: { errors: [{ code, description, parameter }] },
});
const birdError = (status: number, code: string, message: string): MockAnswer => ({ status, body: { code, message } });

export async function startMessagebirdMock(opts: { accessKey?: string; workspaceId?: string; channelId?: string } = {}): Promise<MessagebirdMock> {
  const accessKey = opts.accessKey ?? MESSAGEBIRD_ACCESS_KEY;
  const workspaceId = opts.workspaceId ?? BIRD_WORKSPACE_ID;
  const channelId = opts.channelId ?? '7e1c5a3b-0000-4000-8000-00000000c4a1';
  let revoked = false;
  const sms: BirdSms[] = [];
  const channelMessages: MessagebirdMock['channelMessages'] = [];

  const authorized = (r: ReceivedRequest) => !revoked && schemeCredentials(r, 'AccessKey') === accessKey;

  function legacy(r: ReceivedRequest): MockAnswer {
    if (!authorized(r)) return legacyError(401, 2, 'Request not allowed (incorrect access_key)', 'access_key');
    if (r.path === '/balance' && r.method === 'GET') return { status: 200, body: { payment: 'prepaid', type: 'credits', amount: 42 } };
    if (r.path === '/messages' && r.method === 'POST') {
      const p = params(r);
      const recipients = (Array.isArray(p.recipients) ? p.recipients : String(p.recipients ?? '').split(',')).map(String).filter(Boolean);
      if (!p.originator) return legacyError(422, 9, 'no (correct) originator given', 'originator');
      if (recipients.length === 0) return legacyError(422, 9, 'no (correct) recipients found', 'recipients');
      if (!p.body) return legacyError(422, 9, 'body is required', 'body');
      const id = hexId(`${recipients.join(',')}|${String(p.body)}|${sms.length}`);
      sms.push({ id, originator: String(p.originator), recipients, body: String(p.body) });
      return {
        status: 201,
        body: {
          id, href: `https://rest.messagebird.com/messages/${id}`, direction: 'mt', type: 'sms', originator: p.originator, body: p.body,
          reference: p.reference ?? null, validity: null, gateway: 10, typeDetails: {}, datacoding: 'plain', mclass: 1,
          scheduledDatetime: null, createdDatetime: '2024-01-01T00:00:00+00:00',
          recipients: { totalCount: recipients.length, totalSentCount: recipients.length, totalDeliveredCount: 0, totalDeliveryFailedCount: 0,
            items: recipients.map((x) => ({ recipient: Number(x), status: 'sent', statusDatetime: '2024-01-01T00:00:00+00:00' })) },
        },
      };
    }
    return legacyError(404, 20, 'message not found');
  }

  function bird(r: ReceivedRequest, workspace: string, rest: string): MockAnswer {
    if (!authorized(r)) return birdError(401, 'Unauthorized', 'the access key is missing or not valid');
    // An access key belongs to one workspace.
    if (workspace !== workspaceId) return birdError(403, 'Forbidden', 'the access key has no access to this workspace');
    if (rest === '/channels' && r.method === 'GET') {
      return { status: 200, body: { results: [{ id: channelId, platformId: 'sms-messagebird', name: 'Mock SMS', status: 'active' }], nextPageToken: '' } };
    }
    const m = /^\/channels\/([^/]+)\/messages$/.exec(rest);
    if (m && r.method === 'POST') {
      if (m[1] !== channelId) return birdError(404, 'NotFound', 'channel not found');
      const body = params(r);
      if (!body.receiver) return birdError(422, 'InvalidPayload', 'the request did not pass validation: receiver is required');
      const id = `${hexId(`${JSON.stringify(body)}|${channelMessages.length}`, 8)}-0000-4000-8000-${hexId(String(channelMessages.length), 12)}`;
      channelMessages.push({ id, channelId: m[1], body });
      return { status: 202, body: { id, channelId: m[1], status: 'accepted', reference: body.reference ?? '', createdAt: '2024-01-01T00:00:00Z' } };
    }
    return birdError(404, 'NotFound', 'resource not found');
  }

  const mock = Object.assign(
    await startMockServer((r) => {
      const w = /^\/workspaces\/([^/]+)(\/.*)?$/.exec(r.path);
      return w ? bird(r, w[1], w[2] ?? '') : legacy(r);
    }),
    { accessKey, workspaceId, sms, channelMessages, revoke: () => void (revoked = true) },
  );
  return mock;
}
