// sil's own rendering of a catalog template's request, for the catalog's auth contract tests:
// the instance is compiled as the hub compiles it (connection defaults, auth option, `origins:`,
// connection values derived from the key),
// the request built by the code the proxy and the health monitor use (renderRequestWithAuth:
// token exchange and signing included, against the mock the origins point at).
import type { ProviderInstance } from '../../../schemas/types.gen.ts';
import { projectCatalog } from '../../../server/config/catalog.ts';
import { compileProvider, compileSettings } from '../../../server/config/compile.ts';
import type { CompiledProvider } from '../../../server/config/snapshot.ts';
import { withDerived } from '../../../server/config/derived-connection.ts';
import { createAuthDeps, renderRequestWithAuth } from '../../../server/auth-schemes/async-registry.ts';
import type { RequestParts } from '../../../server/auth-schemes/types.ts';
import { healthRequestTemplate, providerAuth } from '../../../server/observe/health/probe-runner.ts';

export interface RenderOptions {
  template: string;
  /** Default `api`. */
  service?: string;
  /** Render the template's health check (kind: request) instead of a service call. */
  healthCheck?: boolean;
  connection?: Record<string, string | number | boolean>;
  secret: Record<string, string>;
  authOption?: string;
  origins: Record<string, string>;
  method?: string;
  /** Below the service path, as a caller of `/bind/<binding>/<path>` sends it. */
  path?: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  model?: string;
}

const catalog = projectCatalog().catalog;

/** The instance compiled as the hub compiles `providers/<template>.yaml` with these values. */
export function compiledInstance(o: Pick<RenderOptions, 'template' | 'connection' | 'authOption' | 'origins'>): CompiledProvider {
  const def = catalog.get(o.template);
  if (!def) throw new Error(`no catalog template ${o.template}`);
  const instance: ProviderInstance = {
    id: o.template,
    name: o.template,
    environment: 'prod',
    template: o.template,
    ...(o.connection ? { connection: o.connection } : {}),
    ...(o.authOption ? { authOption: o.authOption } : {}),
    origins: o.origins,
  };
  return compileProvider(instance, def, compileSettings(undefined));
}

export async function renderForTemplate(o: RenderOptions): Promise<RequestParts> {
  const p = compiledInstance(o);
  const ctx = { connection: withDerived(p.connection, p.derived, o.secret), origins: p.origins, secret: o.secret, model: o.model, keyId: 'key-1', providerId: p.id, now: () => new Date() };
  const deps = createAuthDeps();
  if (o.healthCheck) {
    const check = p.healthCheck;
    if (!check || check.kind !== 'request') throw new Error(`${o.template}: the health check is not a request (${check?.kind})`);
    return renderRequestWithAuth(healthRequestTemplate(p, check, check.auth === false ? null : providerAuth(p)), ctx, deps);
  }
  const service = p.services.find((s) => s.id === (o.service ?? 'api'));
  if (!service) throw new Error(`${o.template} has no service ${o.service ?? 'api'}`);
  const body = typeof o.body === 'string' ? Buffer.from(o.body) : o.body;
  return renderRequestWithAuth(
    {
      baseUrl: service.baseUrl,
      path: service.path,
      method: o.method ?? 'GET',
      headers: service.headers,
      query: service.query,
      auth: service.auth,
      ...(body !== undefined ? { body } : {}),
      caller: { path: o.path, query: new URLSearchParams(o.query ?? {}), headers: o.headers ?? {} },
    },
    ctx,
    deps,
  );
}

/** Sends a rendered request as it is (to the mock its origin was mapped to). */
export function sendRendered(req: RequestParts): Promise<Response> {
  if (req.url.hostname !== '127.0.0.1' && req.url.hostname !== '[::1]') throw new Error(`refusing to send to ${req.url.origin}: map it to a mock with origins`);
  return fetch(req.url, { method: req.method, headers: req.headers, ...(req.body !== undefined ? { body: req.body as RequestInit['body'] } : {}) });
}
