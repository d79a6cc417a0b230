// A name for this hub process among its peers: host name, PID and a random suffix (a restarted
// instance is a new one, so that a stale lease of its former self is never taken for its own).
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';

export function newInstanceId(env: NodeJS.ProcessEnv = process.env): string {
  const name = (env.SIL_INSTANCE_NAME || hostname()).replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 60) || 'sil';
  return `${name}-${process.pid}-${randomBytes(3).toString('hex')}`;
}
