// The Koa application: a pipeline of small named stages.
import Koa from 'koa';
import { errorHandler } from './error-handler.ts';
import { healthz } from '../api/healthz.ts';
import type { LiveConfig } from '../config/live-config.ts';

export interface AppDeps {
  live: LiveConfig;
  version: string;
  startedAt: number;
  log: (line: string) => void;
}

export function createApp(deps: AppDeps): Koa {
  const app = new Koa();
  app.silent = true;
  app.use(errorHandler(deps.log));
  app.use(healthz(deps.live, deps.version, deps.startedAt));
  return app;
}
