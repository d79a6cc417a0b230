// GET /v1/models: the bindings this client may call, in the OpenAI list shape.
import type { Context } from 'koa';
import type { ProxyState } from '../proxy-state.ts';

export function listModels(ctx: Context, state: ProxyState): void {
  const client = state.client!;
  const allowed = client.bindings ?? [];
  const data = [...state.snapshot.bindings.values()]
    .filter((b) => b.enabled && b.environment === client.environment && (allowed.includes('*') || allowed.includes(b.name)))
    .map((b) => ({ id: b.name, object: 'model', created: 0, owned_by: 'sil', protocol: b.protocol }));
  ctx.set('x-sil-request-id', state.requestId);
  ctx.body = { object: 'list', data };
}
