// basic: HTTP Basic, `Authorization: Basic base64(username:password)`; the password may be empty.
import type { AuthBasic } from '../../schemas/types.gen.ts';
import { SilError } from '../errors.ts';
import { renderValue } from './render-value.ts';
import { copyRequest, setHeader, type AuthContext, type RequestParts } from './types.ts';

export function applyBasic(scheme: AuthBasic, req: RequestParts, ctx: AuthContext): RequestParts {
  const username = renderValue(scheme.username, ctx, 'auth basic: username');
  const password = renderValue(scheme.password, ctx, 'auth basic: password');
  // RFC 7617: the user-id cannot hold a colon, the first one separates it from the password.
  if (username.includes(':')) throw new SilError('SIL_INTERNAL', `auth basic: the username (${scheme.username}) contains ":", which Basic auth cannot carry`);
  const out = copyRequest(req);
  setHeader(out.headers, 'Authorization', `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`);
  return out;
}
