// query: the secret as query parameters. A parameter whose value renders empty is not sent,
// nor is a parameter of that name already in the URL; others replace one of the same name.
import type { AuthQuery } from '../../schemas/types.gen.ts';
import { renderValue } from './render-value.ts';
import { copyRequest, type AuthContext, type RequestParts } from './types.ts';

export function applyQuery(scheme: AuthQuery, req: RequestParts, ctx: AuthContext): RequestParts {
  const rendered = Object.entries(scheme.params).map(
    ([name, text]) => [name, renderValue(text, ctx, `auth query: parameter "${name}"`)] as const,
  );
  const out = copyRequest(req);
  for (const [name, value] of rendered) {
    if (value === '') out.url.searchParams.delete(name);
    else out.url.searchParams.set(name, value);
  }
  return out;
}
