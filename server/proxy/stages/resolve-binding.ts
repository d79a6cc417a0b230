// Stage 3: which binding the request is for, and whether this client may use it.
// Unified door: `model` in the JSON body names the binding (or `binding/model`).
// Pass-through door: /bind/<binding>/<path>.
import type { Context } from 'koa';
import { proxyError } from '../proxy-error.ts';
import type { ProxyState } from '../proxy-state.ts';

/** The unified door's paths and the binding protocol each needs. */
export const UNIFIED_PATHS: Readonly<Record<string, string>> = {
  '/v1/chat/completions': 'openai-chat',
  '/v1/embeddings': 'openai-embeddings',
  '/v1/images/generations': 'openai-images',
  '/v1/audio/transcriptions': 'openai-audio-transcriptions',
};

/** A caller path below /bind/<binding>/: refused when a segment is `.` or `..`, even encoded. */
export function checkedSubPath(raw: string): string {
  for (const segment of raw.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      throw proxyError('SIL_PROXY_BAD_REQUEST', 'the path is not valid percent-encoding');
    }
    if (decoded === '.' || decoded === '..' || decoded.includes('/') || decoded.includes('\\') || /[\u0000-\u001f]/.test(decoded)) {
      throw proxyError('SIL_PROXY_BAD_REQUEST', 'the path may not contain `.` or `..` segments, encoded slashes or control characters');
    }
  }
  return raw;
}

function allow(state: ProxyState, name: string): void {
  const binding = state.snapshot.bindings.get(name);
  const client = state.client!;
  if (!binding || binding.environment !== client.environment) {
    // A binding of another environment is reported as unknown: a dev client learns nothing of prod.
    throw proxyError('SIL_PROXY_UNKNOWN_BINDING', `no binding "${name}"`, 'GET /v1/models lists the bindings this client may use');
  }
  const allowed = client.bindings ?? [];
  if (!allowed.includes('*') && !allowed.includes(name)) throw proxyError('SIL_PROXY_FORBIDDEN', `this client may not use binding "${name}"`);
  if (!binding.enabled) throw proxyError('SIL_PROXY_UNKNOWN_BINDING', `binding "${name}" is disabled`);
  state.binding = binding;
}

export function resolveBindingStage(ctx: Context, state: ProxyState): void {
  if (state.door === 'bind') {
    // ctx.path is the raw, still percent-encoded path.
    const m = /^\/bind\/([a-z0-9][a-z0-9-]{0,62})(\/.*)?$/.exec(ctx.path);
    if (!m) throw proxyError('SIL_PROXY_UNKNOWN_BINDING', 'the path must be /bind/<binding>/<path>');
    allow(state, m[1]);
    state.subPath = checkedSubPath(m[2] ?? '');
  } else {
    const protocol = UNIFIED_PATHS[ctx.path];
    let json: unknown;
    try {
      json = JSON.parse(state.body.toString('utf8'));
    } catch {
      throw proxyError('SIL_PROXY_BAD_REQUEST', 'the body is not valid JSON');
    }
    if (!json || typeof json !== 'object' || Array.isArray(json)) throw proxyError('SIL_PROXY_BAD_REQUEST', 'the body must be a JSON object');
    const model = (json as { model?: unknown }).model;
    if (typeof model !== 'string' || !model) throw proxyError('SIL_PROXY_BAD_REQUEST', '`model` must name a binding (or binding/model)');
    const slash = model.indexOf('/');
    allow(state, slash < 0 ? model : model.slice(0, slash));
    if (slash >= 0) state.model = model.slice(slash + 1);
    if (state.binding!.protocol !== protocol) {
      throw proxyError('SIL_PROXY_BAD_REQUEST', `binding "${state.binding!.name}" speaks ${state.binding!.protocol}, not ${protocol}`, 'call the path of its protocol, or /bind/ for pass-through');
    }
    state.json = json as Record<string, unknown>;
  }
}
