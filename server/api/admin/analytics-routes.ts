// /api/analytics/...: overview, breakdown, compare and recommendations (handlers of the route
// table), and the report download (registers itself: its answer is a file, CSV or JSON, with a
// Content-Disposition). The figures come from observe/analytics/, over the usage store.
import type Router from '@koa/router';
import { SilError } from '../../errors.ts';
import { overview } from '../../observe/analytics/overview.ts';
import { breakdown } from '../../observe/analytics/breakdown.ts';
import { compare } from '../../observe/analytics/compare.ts';
import { recommendations } from '../../observe/analytics/recommendations/index.ts';
import { reportFile } from '../../observe/analytics/report.ts';
import type { AnalyticsQuery, AnalyticsSources } from '../../observe/analytics/sources.ts';
import type { AdminDeps } from './context.ts';
import type { Handler } from './call.ts';
import type { OpId } from './route-table.ts';

type AnalyticsOp = 'analytics.overview' | 'analytics.breakdown' | 'analytics.compare' | 'analytics.recommendations';

function sourcesOf(deps: AdminDeps): AnalyticsSources {
  if (!deps.analytics) throw new SilError('SIL_API_NOT_FOUND', 'this hub keeps no usage store, so it has no analytics');
  return deps.analytics;
}

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export function analyticsHandlers(deps: AdminDeps): Record<Extract<OpId, AnalyticsOp>, Handler> {
  return {
    async 'analytics.overview'(call) {
      return { body: await overview(sourcesOf(deps), call.query) };
    },
    async 'analytics.breakdown'(call) {
      return { body: await breakdown(sourcesOf(deps), call.query) };
    },
    async 'analytics.compare'(call) {
      return { body: await compare(sourcesOf(deps), call.query) };
    },
    async 'analytics.recommendations'(call) {
      return { body: await recommendations(sourcesOf(deps), call.query) };
    },
  };
}

/** GET /analytics/report?format=csv|json&period=...: the period's analytics as a file to save. */
export function analyticsReportRoute(router: Router, deps: AdminDeps): void {
  router.get('/analytics/report', async (ctx) => {
    const query: AnalyticsQuery = Object.fromEntries(Object.entries(ctx.query).map(([k, v]) => [k, first(v)]));
    const file = await reportFile(sourcesOf(deps), query);
    ctx.set('Content-Type', file.contentType);
    ctx.set('Content-Disposition', `attachment; filename="${file.fileName}"`);
    ctx.body = file.body;
  });
}
