// bearer: `Authorization: Bearer <token>`.
import type { AuthBearer } from '../../schemas/types.gen.ts';
import { SilError } from '../errors.ts';
import { renderValue } from './render-value.ts';
import { copyRequest, setHeader, type AuthContext, type RequestParts } from './types.ts';

export function applyBearer(scheme: AuthBearer, req: RequestParts, ctx: AuthContext): RequestParts {
  const token = renderValue(scheme.token, ctx, 'auth bearer: token', { encoding: 'header' });
  if (token === '') throw new SilError('SIL_AUTH_MISSING_SECRET', `auth bearer: the token (${scheme.token}) renders empty`);
  const out = copyRequest(req);
  setHeader(out.headers, 'Authorization', `Bearer ${token}`);
  return out;
}
