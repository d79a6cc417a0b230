// path: the secret is part of the base URL (Telegram's /bot<token>/), rendered with it by
// renderRequest; there is nothing left to do here.
import type { AuthPath } from '../../schemas/types.gen.ts';
import { copyRequest, type AuthContext, type RequestParts } from './types.ts';

export function applyPath(_scheme: AuthPath, req: RequestParts, _ctx: AuthContext): RequestParts {
  return copyRequest(req);
}
