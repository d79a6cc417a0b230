// Builds the request of one attempt: the target's service URL, its headers and auth with the
// chosen key, and what the caller sent (never rendered as a template: see render-request.ts).
import { renderRequestWithAuth, type AuthDeps } from '../auth-schemes/async-registry.ts';
import type { RequestParts } from '../auth-schemes/types.ts';
import { canPrepare, completeRequest, preparedRequest, type UpstreamRequest } from './prepared-request.ts';
import { forwardableRequestHeaders } from './headers.ts';
import { upstreamAcceptEncoding } from './accept-encoding.ts';
import { bodyKeysOf } from '../observe/usage.ts';
import { proxyError } from './proxy-error.ts';
import type { CompiledProvider, CompiledService, CompiledTarget } from '../config/snapshot.ts';
import type { ProxyState } from './proxy-state.ts';
import { adapterFor } from '../protocols/registry.ts';
import { withDerived } from '../config/derived-connection.ts';
import type { OpenAIChatRequest, ProtocolAdapter } from '../protocols/types.ts';

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

/** The request undici sends, from the parts a template-rendered request has. */
export function upstreamRequestOf(req: RequestParts): UpstreamRequest {
  const out: UpstreamRequest = { method: req.method, origin: req.url.origin, path: req.url.pathname + req.url.search, headers: req.headers };
  if (req.body !== undefined) out.body = req.body;
  return out;
}

/** The model an attempt asks for: the caller's `binding/model`, else the target's. */
export function attemptModel(state: ProxyState, target: CompiledTarget): string | undefined {
  return state.model ?? target.model;
}

/** The adapter an attempt needs: null when the service speaks the binding's protocol itself. */
export function attemptAdapter(state: ProxyState, service: CompiledService): ProtocolAdapter | null {
  if (state.door !== 'unified' || service.protocol === state.binding!.protocol) return null;
  const adapter = adapterFor(service.protocol);
  if (!adapter) throw proxyError('SIL_PROXY_BAD_REQUEST', `no adapter from ${state.binding!.protocol} to ${service.protocol} yet`);
  return adapter;
}

/** The request of one attempt: at once for header-only auth schemes, else once the scheme has rendered it (token fetch, signing). */
export function attemptRequest(input: AttemptInput, adapter: ProtocolAdapter | null, auth: AuthDeps): UpstreamRequest | Promise<UpstreamRequest> {
  const { state, service, target } = input;
  const model = attemptModel(state, target);
  let body: string | Uint8Array | undefined;
  let callerHeaders: Record<string, string>;
  let path = service.path;
  if (state.door === 'unified') {
    if (!model) throw proxyError('SIL_PROXY_BAD_REQUEST', `a target of binding "${state.binding!.name}" names no model`, 'ask for `binding/model`, or set `model:` on the target');
    if (adapter) {
      const stream = state.json?.stream === true;
      body = JSON.stringify(adapter.request(state.json as unknown as OpenAIChatRequest, model));
      path = adapter.path(model, stream);
      callerHeaders = adapter.headers(stream);
    } else {
      body = withModel(state, model);
      callerHeaders = { 'content-type': 'application/json', accept: String(input.headers.accept ?? 'application/json') };
      // The provider may compress for a caller that can take it: the answer is passed on as it comes.
      const acceptEncoding = upstreamAcceptEncoding(input.headers['accept-encoding'] as string | undefined, bodyKeysOf(service.usage).size > 0);
      if (acceptEncoding) callerHeaders['accept-encoding'] = acceptEncoding;
    }
  } else {
    body = state.body.length > 0 ? state.body : undefined;
    callerHeaders = forwardableRequestHeaders(input.headers);
    if (callerHeaders['accept-encoding']) {
      const acceptEncoding = upstreamAcceptEncoding(callerHeaders['accept-encoding'], bodyKeysOf(service.usage).size > 0);
      if (acceptEncoding) callerHeaders['accept-encoding'] = acceptEncoding;
      else delete callerHeaders['accept-encoding'];
    }
  }
  const ctx = { connection: withDerived(input.provider.connection, input.provider.derived, input.secret), origins: input.provider.origins, secret: input.secret, model, keyId: input.keyId, now: input.now, providerId: input.provider.id };
  if (canPrepare(service)) {
    return completeRequest(preparedRequest(service, path, ctx), input.method, { path: state.subPath, query: input.querystring, headers: callerHeaders }, body);
  }
  return renderRequestWithAuth(
    {
      baseUrl: service.baseUrl,
      path,
      method: input.method,
      headers: service.headers,
      query: service.query,
      auth: service.auth,
      body: typeof body === 'string' ? Buffer.from(body) : body,
      caller: { path: state.subPath, query: new URLSearchParams(input.querystring), headers: callerHeaders },
    },
    ctx,
    auth,
  ).then(upstreamRequestOf);
}

/**
 * The caller's JSON body with `model` set to the target's model. When the caller already named
 * exactly that model, its bytes go as they are (no parse-and-serialise round trip).
 */
function withModel(state: ProxyState, model: string): string | Uint8Array {
  if (state.json?.model === model) return state.body;
  return JSON.stringify({ ...state.json, model });
}
