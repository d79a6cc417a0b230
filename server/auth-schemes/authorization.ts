// authorization: `Authorization: <scheme> <credentials>` with a custom scheme word
// (AccessKey, ApiKey, Client-ID, Uploadcare.Simple).
import type { AuthAuthorization } from '../../schemas/types.gen.ts';
import { SilError } from '../errors.ts';
import { renderValue } from './render-value.ts';
import { copyRequest, setHeader, type AuthContext, type RequestParts } from './types.ts';

export function applyAuthorization(scheme: AuthAuthorization, req: RequestParts, ctx: AuthContext): RequestParts {
  const credentials = renderValue(scheme.credentials, ctx, 'auth authorization: credentials', { encoding: 'header' });
  if (credentials === '') {
    throw new SilError('SIL_AUTH_MISSING_SECRET', `auth authorization: the credentials (${scheme.credentials}) render empty`);
  }
  const out = copyRequest(req);
  setHeader(out.headers, 'Authorization', `${scheme.scheme} ${credentials}`);
  return out;
}
