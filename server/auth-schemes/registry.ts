// applyAuth: applies a template's static auth scheme to a request, dispatching on `scheme.type`.
// Pure: no I/O. The schemes that need token requests, clocks or signatures
// (oauth2-client-credentials, aws-sigv4, google-service-account, hmac-signature) are applied by
// prepareAuth in async-registry.ts; applyAuth refuses them with SIL_AUTH_UNSUPPORTED.
import type { AuthScheme } from '../../schemas/types.gen.ts';
import { SilError } from '../errors.ts';
import { applyAuthorization } from './authorization.ts';
import { applyBasic } from './basic.ts';
import { applyBearer } from './bearer.ts';
import { applyBody } from './body.ts';
import { applyHeader } from './header.ts';
import { applyNone } from './none.ts';
import { applyPath } from './path.ts';
import { applyQuery } from './query.ts';
import type { AuthApplier, AuthContext, RequestParts } from './types.ts';

type Built = 'none' | 'bearer' | 'header' | 'authorization' | 'basic' | 'query' | 'body' | 'path';

const APPLIERS: { readonly [T in Built]: AuthApplier<Extract<AuthScheme, { type: T }>> } = {
  none: applyNone,
  bearer: applyBearer,
  header: applyHeader,
  authorization: applyAuthorization,
  basic: applyBasic,
  query: applyQuery,
  body: applyBody,
  path: applyPath,
};

/** Schemes applied by prepareAuth (async-registry.ts), not here. */
export const LATER_SCHEMES: readonly string[] = ['oauth2-client-credentials', 'aws-sigv4', 'google-service-account', 'hmac-signature'];

/** The scheme types applyAuth can apply today. */
export const SUPPORTED_SCHEMES: readonly string[] = Object.keys(APPLIERS);

/** Applies `scheme` to `req` and returns the new request; `req` is not changed. */
export function applyAuth(scheme: AuthScheme, req: RequestParts, ctx: AuthContext): RequestParts {
  const type = scheme.type;
  if (Object.hasOwn(APPLIERS, type)) return (APPLIERS[type as Built] as AuthApplier)(scheme, req, ctx);
  if (LATER_SCHEMES.includes(type)) {
    throw new SilError('SIL_AUTH_UNSUPPORTED', `auth scheme "${type}" needs prepareAuth (async-registry.ts); applyAuth handles ${SUPPORTED_SCHEMES.join(', ')}`);
  }
  throw new SilError('SIL_AUTH_UNSUPPORTED', `unknown auth scheme ${JSON.stringify(type)} (supported: ${SUPPORTED_SCHEMES.join(', ')})`);
}
