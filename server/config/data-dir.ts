// Where the data directory is: the --data flag, else SIL_DATA (when not empty), else ./data.
import { resolve } from 'node:path';

export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  return resolve(flag ?? (env.SIL_DATA || 'data'));
}
