// none: no credentials.
import type { AuthNone } from '../../schemas/types.gen.ts';
import { copyRequest, type AuthContext, type RequestParts } from './types.ts';

export function applyNone(_scheme: AuthNone, req: RequestParts, _ctx: AuthContext): RequestParts {
  return copyRequest(req);
}
