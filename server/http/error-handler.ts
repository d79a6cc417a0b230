// Turns thrown errors into JSON answers: SilErrors with their code, status and hint; anything
// else as a 500 that shows nothing internal (the details go to the log).
import type { Context, Next } from 'koa';
import { SilError } from '../errors.ts';

export function errorHandler(log: (line: string) => void) {
  return async function handleErrors(ctx: Context, next: Next): Promise<void> {
    try {
      await next();
      if (ctx.respond !== false && ctx.status === 404 && ctx.body === undefined) throw new SilError('SIL_NOT_FOUND', `no route for ${ctx.method} ${ctx.path}`);
    } catch (err) {
      const e = err instanceof SilError ? err : new SilError('SIL_INTERNAL', undefined, { cause: err });
      if (!e.expose) log(`error: ${ctx.method} ${ctx.path}: ${(err as Error).stack ?? String(err)}`);
      if (ctx.res.headersSent) {
        ctx.res.destroy();
        return;
      }
      ctx.status = e.status;
      ctx.body = { error: e.toJSON() };
    }
  };
}
