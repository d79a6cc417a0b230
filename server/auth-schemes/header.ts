// header: the secret in one or more custom headers. A header whose value renders empty (an
// unset optional connection field) is not sent, nor is a header of that name already there.
import type { AuthHeader } from '../../schemas/types.gen.ts';
import { renderValue } from './render-value.ts';
import { copyRequest, deleteHeader, setHeader, type AuthContext, type RequestParts } from './types.ts';

export function applyHeader(scheme: AuthHeader, req: RequestParts, ctx: AuthContext): RequestParts {
  const rendered = Object.entries(scheme.headers).map(
    ([name, text]) => [name, renderValue(text, ctx, `auth header: header "${name}"`, { encoding: 'header' })] as const,
  );
  const out = copyRequest(req);
  for (const [name, value] of rendered) {
    if (value === '') deleteHeader(out.headers, name);
    else setHeader(out.headers, name, value);
  }
  return out;
}
