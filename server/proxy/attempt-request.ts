// Builds the request of one attempt: the target's service URL, its headers and auth with the
// chosen key, and what the caller sent (never rendered as a template: see render-request.ts).
import { renderRequest } from '../auth-schemes/render-request.ts';
import type { RequestParts } from '../auth-schemes/types.ts';
import { forwardableRequestHeaders } from './headers.ts';
import { proxyError } from './proxy-error.ts';
import type { CompiledProvider, CompiledService, CompiledTarget } from '../config/snapshot.ts';
import type { ProxyState } from './proxy-state.ts';

export interface AttemptInput {
  state: ProxyState;
  provider: CompiledProvider;
  service: CompiledService;
  target: CompiledTarget;
  secret: Readonly<Record<string, string>>;
  keyId: string;
  method: string;
  querystring: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  now: () => Date;
}

/** The model an attempt asks for: the caller's `binding/model`, else the target's. */
export function attemptModel(state: ProxyState, target: CompiledTarget): string | undefined {
  return state.model ?? target.model;
}

export function attemptRequest(input: AttemptInput): RequestParts {
  const { state, service, target } = input;
  const model = attemptModel(state, target);
  let body: Uint8Array | undefined;
  let callerHeaders: Record<string, string>;
  if (state.door === 'unified') {
    if (!model) throw proxyError('SIL_PROXY_BAD_REQUEST', `a target of binding "${state.binding!.name}" names no model`, 'ask for `binding/model`, or set `model:` on the target');
    body = Buffer.from(JSON.stringify({ ...state.json, model }));
    callerHeaders = { 'content-type': 'application/json', accept: String(input.headers.accept ?? 'application/json') };
  } else {
    body = state.body.length > 0 ? state.body : undefined;
    callerHeaders = forwardableRequestHeaders(input.headers);
  }
  return renderRequest(
    {
      baseUrl: service.baseUrl,
      path: service.path,
      method: input.method,
      headers: service.headers,
      query: service.query,
      auth: service.auth,
      body,
      caller: { path: state.subPath, query: new URLSearchParams(input.querystring), headers: callerHeaders },
    },
    { connection: input.provider.connection, secret: input.secret, model, keyId: input.keyId, now: input.now },
  );
}
