// Cloudinary on 127.0.0.1 (https://api.cloudinary.com/v1_1/<cloud_name>/...), written from:
// - cloudinary.com/documentation/authentication_signatures and /signatures ("Generating
//   authentication signatures"): an upload's parameters except file, cloud_name, resource_type
//   and api_key (and signature), empty values left out, sorted by name, `k=v` joined with `&`
//   (raw values, an array's values joined with commas), the API secret appended, the SHA-1 hex
//   digest (SHA-256 for accounts switched to it); sent with api_key and timestamp, and refused
//   when the timestamp is more than an hour old ("Stale request"). Server-side uploads may also
//   use HTTP Basic api_key:api_secret.
// - cloudinary.com/documentation/admin_api: HTTP Basic api_key:api_secret; errors are
//   `{"error":{"message":...}}` with the message also in X-Cld-Error; the Admin API is rate
//   limited per hour (420 "Rate Limit Exceeded" when spent) and every answer carries
//   X-FeatureRateLimit-Limit / -Remaining / -Reset, the reset an HTTP date (the PHP SDK's
//   ApiResponse parses it with strtotime). GET /usage, /resources[/<type>] and /ping.
// The Upload API is not rate limited (Cloudinary support: "The Upload API is not rate-limited").
import { createHash, randomBytes } from 'node:crypto';
import { startMockServer, type MockAnswer, type ProviderMock, type ReceivedRequest } from '../../helpers/catalog/provider-mock.ts';
import { basicCredentials, headerOf, param, requestParams, switches, type FilePart, type MockSwitches } from './media-maps-shared.ts';

export interface CloudinaryMockOptions {
  cloudName?: string;
  apiKey?: string;
  apiSecret?: string;
  /** The account's signature algorithm (default sha1). */
  algorithm?: 'sha1' | 'sha256';
  /** Admin API calls allowed per hour (default 500, the free plan's). */
  hourlyLimit?: number;
  /** The mock's clock in ms (default Date.now). */
  now?: () => number;
}

export interface CloudinaryUpload { params: [string, string][]; file?: FilePart; signed: boolean; publicId: string }

export interface CloudinaryMock extends ProviderMock, MockSwitches {
  uploads: CloudinaryUpload[];
  /** Switch the account's signature algorithm. */
  setAlgorithm(a: 'sha1' | 'sha256'): void;
  /** The usage report's figures. */
  usage: { credits: number; transformations: number; storageBytes: number; bandwidthBytes: number };
}

export const CLOUDINARY_DEFAULTS = { cloudName: 'demo', apiKey: '123456789012345', apiSecret: 'abcd1234EFGH5678ijkl9012MNo' } as const;

/** Cloudinary's string to sign (without the secret). */
export function cloudinaryStringToSign(fields: [string, string][]): string {
  const skip = new Set(['file', 'cloud_name', 'resource_type', 'api_key', 'signature']);
  const grouped = new Map<string, string[]>();
  for (const [raw, value] of fields) {
    const name = raw.endsWith('[]') ? raw.slice(0, -2) : raw;
    if (skip.has(name) || value === '') continue;
    grouped.set(name, [...(grouped.get(name) ?? []), value]);
  }
  return [...grouped.keys()].sort().map((k) => `${k}=${grouped.get(k)!.join(',')}`).join('&');
}

export async function startCloudinaryMock(opts: CloudinaryMockOptions = {}): Promise<CloudinaryMock> {
  const o = { ...CLOUDINARY_DEFAULTS, ...opts };
  const now = opts.now ?? Date.now;
  const limit = opts.hourlyLimit ?? 500;
  let algorithm = opts.algorithm ?? 'sha1';
  const sw = switches();
  const uploads: CloudinaryUpload[] = [];
  const usage = { credits: 3.42, transformations: 1200, storageBytes: 52_428_800, bandwidthBytes: 1_073_741_824 };
  const spent = new Map<number, number>(); // hour → Admin API calls

  const fail = (status: number, message: string, headers: Record<string, string> = {}): MockAnswer =>
    ({ status, headers: { 'X-Cld-Error': message, ...headers }, body: { error: { message } } });

  /** Basic api_key:api_secret; null when accepted, else the refusal. */
  const basic = (r: ReceivedRequest): MockAnswer | null => {
    const creds = basicCredentials(headerOf(r, 'authorization'));
    if (!creds) return fail(401, 'Must supply api_key');
    if (creds[0] !== o.apiKey || sw.revoked) return fail(401, `Unknown API key ${creds[0]}`);
    if (creds[1] !== o.apiSecret) return fail(401, 'api_secret mismatch');
    return null;
  };

  const admin = (r: ReceivedRequest, rest: string): MockAnswer => {
    const refused = basic(r);
    if (refused) return refused;
    const hour = Math.floor(now() / 3_600_000);
    const used = (spent.get(hour) ?? 0) + 1;
    const reset = new Date((hour + 1) * 3_600_000).toUTCString();
    const rate = (remaining: number) => ({ 'X-FeatureRateLimit-Limit': String(limit), 'X-FeatureRateLimit-Remaining': String(remaining), 'X-FeatureRateLimit-Reset': reset });
    if (sw.throttled(r) || used > limit) return fail(420, 'Rate Limit Exceeded', rate(0));
    spent.set(hour, used);
    const headers = rate(limit - used);
    if (r.method === 'GET' && rest === 'ping') return { status: 200, headers, body: { status: 'ok' } };
    if (r.method === 'GET' && rest === 'usage') {
      return {
        status: 200,
        headers,
        body: {
          plan: 'Free',
          last_updated: new Date(now()).toISOString().slice(0, 10),
          transformations: { usage: usage.transformations, credits_usage: usage.transformations / 1000 },
          objects: { usage: uploads.length },
          bandwidth: { usage: usage.bandwidthBytes, credits_usage: usage.bandwidthBytes / 1_073_741_824 },
          storage: { usage: usage.storageBytes, credits_usage: usage.storageBytes / 1_073_741_824 },
          credits: { usage: usage.credits, limit: 25, used_percent: (usage.credits / 25) * 100 },
          requests: spent.get(hour) ?? 0,
          resources: uploads.length,
          derived_resources: 0,
          media_limits: { image_max_size_bytes: 10_485_760 },
        },
      };
    }
    const list = /^resources(?:\/(image|video|raw))?$/.exec(rest);
    if (r.method === 'GET' && list) {
      const resources = uploads.map((u) => ({ public_id: u.publicId, resource_type: list[1] ?? 'image', type: 'upload', bytes: u.file?.bytes.length ?? 0 }));
      return { status: 200, headers, body: { resources } };
    }
    return fail(404, `Resource not found - ${rest}`, headers);
  };

  const upload = async (r: ReceivedRequest, resourceType: string): Promise<MockAnswer> => {
    const p = await requestParams(r);
    let signed = false;
    if (headerOf(r, 'authorization') !== undefined) {
      const refused = basic(r);
      if (refused) return refused;
    } else {
      const key = param(p, 'api_key');
      if (!key) return fail(401, 'Must supply api_key');
      if (key !== o.apiKey || sw.revoked) return fail(401, `Unknown API key ${key}`);
      const ts = Number(param(p, 'timestamp'));
      if (!Number.isInteger(ts)) return fail(401, 'Missing required parameter - timestamp');
      if (now() / 1000 - ts > 3600) return fail(401, `Stale request - reported time is ${new Date(ts * 1000).toISOString()} which is more than 1 hour ago`);
      const toSign = cloudinaryStringToSign(p.fields);
      const expected = createHash(algorithm).update(toSign + o.apiSecret).digest('hex');
      const got = param(p, 'signature') ?? '';
      if (got !== expected) return fail(401, `Invalid Signature ${got}. String to sign - '${toSign}'.`);
      signed = true;
    }
    const file = p.files.find((f) => f.field === 'file');
    if (!file && !param(p, 'file')) return fail(400, 'Missing required parameter - file');
    const publicId = param(p, 'public_id') ?? randomBytes(10).toString('hex');
    uploads.push({ params: p.fields, ...(file ? { file } : {}), signed, publicId });
    const version = Math.floor(now() / 1000);
    const type = resourceType === 'auto' ? 'image' : resourceType;
    const url = `http://res.cloudinary.com/${o.cloudName}/${type}/upload/v${version}/${publicId}.png`;
    return {
      status: 200,
      body: {
        asset_id: randomBytes(16).toString('hex'), public_id: publicId, version, width: 1, height: 1, format: 'png', resource_type: type,
        created_at: new Date(now()).toISOString(), bytes: file?.bytes.length ?? param(p, 'file')!.length, type: 'upload',
        url, secure_url: url.replace('http:', 'https:'), original_filename: file?.name.replace(/\.[^.]*$/, '') ?? 'file',
      },
    };
  };

  const mock = await startMockServer(async (r) => {
    const m = /^\/v1_1\/([^/]+)\/(.*)$/.exec(r.path);
    if (!m) return fail(404, 'Not found');
    if (m[1] !== o.cloudName) return fail(401, `Invalid cloud_name ${m[1]}`);
    const up = /^(image|video|raw|auto)\/upload$/.exec(m[2]);
    if (up && r.method === 'POST') return upload(r, up[1]);
    return admin(r, m[2]);
  });
  return {
    ...mock,
    revoke: sw.revoke,
    throttle: sw.throttle,
    uploads,
    usage,
    setAlgorithm(a) {
      algorithm = a;
    },
  };
}
