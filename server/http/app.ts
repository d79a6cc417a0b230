// The Koa application: error handling, /healthz, then the proxy (/v1/..., /bind/...).
import Koa from 'koa';
import { errorHandler } from './error-handler.ts';
import { healthz } from '../api/healthz.ts';
import type { LiveConfig } from '../config/live-config.ts';
import { proxyMiddleware, type ProxyDeps } from '../proxy/pipeline.ts';
import { remoteAddressOf } from './remote-address.ts';

export interface AppDeps {
  live: LiveConfig;
  version: string;
  startedAt: number;
  log: (line: string) => void;
  proxy: Omit<ProxyDeps, 'live' | 'remoteAddress'>;
}

export function createApp(deps: AppDeps): Koa {
  const app = new Koa();
  app.silent = true;
  app.use(errorHandler(deps.log));
  app.use(healthz(deps.live, deps.version, deps.startedAt));
  app.use(proxyMiddleware({ ...deps.proxy, live: deps.live, remoteAddress: remoteAddressOf(deps.live), errorLog: deps.log }));
  return app;
}
