// providers/vercel.yaml against a Vercel REST API mock (test/mocks/providers/vercel.ts): the
// rendered Bearer access token, connection teamId sent as ?teamId=, the pass-through door
// (projects, deployments), the X-RateLimit-* headers and {"error": {...}} answers reaching the
// caller, and the GET /v2/user health check. Vercel reports no usage in tokens/seconds/units,
// so there is no usage test.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { renderForTemplate, sendRendered } from '../../helpers/catalog/render.ts';
import { startTemplateHub, type TemplateHub } from '../../helpers/catalog/template-hub.ts';
import { startVercelMock, type VercelMock } from '../../mocks/providers/vercel.ts';

const TOKEN = 'ContractTok3nAbCdEfGhIjKl';
const HUB_TOKEN = 'HubTok3nMnOpQrStUvWxYz01';
const TEAM = 'team_Acme0123456789ab';
const OTHER_TEAM = 'team_NotMine0123456789';

describe('vercel template', () => {
  let mock: VercelMock;
  let hub: TemplateHub;
  const origins = () => ({ 'https://api.vercel.com': mock.url });

  beforeAll(async () => {
    mock = await startVercelMock({ tokens: { [TOKEN]: [TEAM], [HUB_TOKEN]: [TEAM] } });
    hub = await startTemplateHub({
      template: 'vercel',
      origins: origins(),
      connection: { teamId: TEAM },
      secret: { apiToken: HUB_TOKEN },
      bindings: { vercel: { protocol: 'http', service: 'api' }, projects: { protocol: 'http', service: 'projects' }, deployments: { protocol: 'http', service: 'deployments' } },
    });
  });
  afterAll(async () => {
    await hub?.stop();
    await mock?.close();
  });

  it('auth contract: Authorization: Bearer <access token>; a wrong token is refused with 403 {"error":{"code":"forbidden","invalidToken":true}}', async () => {
    const req = await renderForTemplate({ template: 'vercel', service: 'projects', origins: origins(), secret: { apiToken: TOKEN } });
    expect(req.url.href).toBe(`${mock.url}/v9/projects`);
    expect(req.headers.Authorization).toBe(`Bearer ${TOKEN}`);
    const res = await sendRendered(req);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ projects: [{ name: 'web', accountId: 'AEIIDYVk59zbFF2Sxfyxxmua' }], pagination: { count: 1 } });

    const wrong = await sendRendered(await renderForTemplate({ template: 'vercel', service: 'projects', origins: origins(), secret: { apiToken: 'NotAVercelToken000000000' } }));
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toEqual({ error: { code: 'forbidden', message: 'Not authorized', invalidToken: true } });
  });

  it('auth contract: connection teamId goes out as ?teamId=; a team the token is not a member of is refused with 403', async () => {
    const req = await renderForTemplate({ template: 'vercel', service: 'projects', origins: origins(), connection: { teamId: TEAM }, secret: { apiToken: TOKEN } });
    expect(req.url.href).toBe(`${mock.url}/v9/projects?teamId=${TEAM}`);
    const res = await sendRendered(req);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ projects: [{ accountId: TEAM }] });

    const other = await sendRendered(await renderForTemplate({ template: 'vercel', service: 'projects', origins: origins(), connection: { teamId: OTHER_TEAM }, secret: { apiToken: TOKEN } }));
    expect(other.status).toBe(403);
    expect(await other.json()).toEqual({ error: { code: 'forbidden', message: 'Not authorized' } });
  });

  it('via proxy: GET /bind/projects and /bind/deployments/<id> with the token as Bearer and ?teamId=; X-RateLimit-* headers reach the caller', async () => {
    const res = await hub.door('/bind/projects?limit=5');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ projects: [{ name: 'web', accountId: TEAM }] });
    const seen = mock.received.filter((r) => r.path === '/v9/projects').at(-1)!;
    expect(seen.query.get('teamId')).toBe(TEAM);
    expect(seen.query.get('limit')).toBe('5');
    expect(seen.headers.authorization).toBe(`Bearer ${HUB_TOKEN}`);
    // A caller cannot add a team of its own next to the configured one.
    expect((await hub.door(`/bind/projects?teamId=${OTHER_TEAM}&limit=2`)).status).toBe(200);
    const pinned = mock.received.filter((r) => r.path === '/v9/projects').at(-1)!;
    expect(pinned.query.getAll('teamId')).toEqual([TEAM]);
    expect(pinned.query.get('limit')).toBe('2');
    expect(res.headers.get('x-ratelimit-limit')).toBe('500');
    const remaining = Number(res.headers.get('x-ratelimit-remaining'));
    expect(remaining).toBeLessThan(500);
    expect(remaining).toBeGreaterThanOrEqual(mock.quota.remaining);
    expect(Number(res.headers.get('x-ratelimit-reset'))).toBe(mock.quota.resetAt);

    const dep = await hub.door('/bind/deployments/dpl_89qyp1cskzkLrVicDaZoDbjyHuDJ');
    expect(dep.status).toBe(200);
    expect(await dep.json()).toMatchObject({ id: 'dpl_89qyp1cskzkLrVicDaZoDbjyHuDJ', readyState: 'READY', ownerId: TEAM });
    expect(mock.received.filter((r) => r.path.startsWith('/v13/deployments/')).at(-1)!.url).toBe(`/v13/deployments/dpl_89qyp1cskzkLrVicDaZoDbjyHuDJ?teamId=${TEAM}`);
  });

  it('via proxy: a 429 {"error":{"code":"rate_limited"}} with X-RateLimit-Remaining 0 reaches the caller', async () => {
    mock.quota.throttleNext(1, '/v9/projects');
    const limited = await hub.door('/bind/projects');
    expect(limited.status).toBe(429);
    const body = (await limited.json()) as { error: { code: string; limit: { remaining: number; reset: number } } };
    expect(body.error.code).toBe('rate_limited');
    expect(body.error.limit).toMatchObject({ remaining: 0, reset: mock.quota.resetAt });
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
  });

  it('health check: GET /v2/user?teamId= with the token is ok; a revoked token makes it fail with 403', async () => {
    const ok = await hub.healthProbe();
    expect(ok).toMatchObject({ ok: true, status: 200 });
    const probe = mock.received.filter((r) => r.path === '/v2/user').at(-1)!;
    expect(probe.url).toBe(`/v2/user?teamId=${TEAM}`);
    expect(probe.headers.authorization).toBe(`Bearer ${HUB_TOKEN}`);

    mock.revoke(HUB_TOKEN);
    const failed = await hub.healthProbe();
    expect(failed).toMatchObject({ ok: false, status: 403 });
  });
});
