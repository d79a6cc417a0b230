// The soak's command line, checked: every figure within bounds so that a run always ends.
import { parseArgs } from 'node:util';

export interface SoakOptions {
  minutes: number;
  intervalSeconds: number;
  /** Requests per second the load starts (open loop). */
  rate: number;
  instances: number;
  nginx: boolean;
  /** Markdown copy of the table. */
  out: string | null;
  /** Keep the temporary directory (logs, data directories) at the end. */
  keep: boolean;
}

export const USAGE = `Usage: npm run soak -- --minutes N [--interval-seconds S] [--rate R] [--instances K] [--no-nginx] [--out FILE] [--keep]

  --minutes N           how long the load runs (1 to 2880); the soak ends by itself after it
  --interval-seconds S  one table row every S seconds (default 60, at least 5)
  --rate R              requests per second, open loop (default 50, at most 500)
  --instances K         sil instances behind the balancer (default 2, 1 to 4)
  --no-nginx            balance with a small round-robin proxy in this process instead of nginx
  --out FILE            also write the table and the verdict as Markdown to FILE
  --keep                keep the temporary directory (instance logs, data directories)`;

function number(text: string | undefined, fallback: number, lo: number, hi: number, name: string, integer = true): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || n < lo || n > hi || (integer && !Number.isInteger(n))) {
    throw new Error(`--${name} "${text}": give ${integer ? 'a whole number' : 'a number'} from ${lo} to ${hi}\n\n${USAGE}`);
  }
  return n;
}

export function parseSoakOptions(argv: string[]): SoakOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        minutes: { type: 'string' },
        'interval-seconds': { type: 'string' },
        rate: { type: 'string' },
        instances: { type: 'string' },
        'no-nginx': { type: 'boolean', default: false },
        out: { type: 'string' },
        keep: { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (err) {
    throw new Error(`${(err as Error).message}\n\n${USAGE}`);
  }
  if (values.minutes === undefined) throw new Error(`--minutes is required\n\n${USAGE}`);
  const minutes = number(values.minutes, 0, 1, 2880, 'minutes', false);
  const intervalSeconds = number(values['interval-seconds'], 60, 5, 3600, 'interval-seconds');
  if (intervalSeconds > minutes * 60) throw new Error(`--interval-seconds ${intervalSeconds} is longer than the run (${minutes * 60} s): give at most ${minutes * 60}`);
  return {
    minutes,
    intervalSeconds,
    rate: number(values.rate, 50, 1, 500, 'rate', false),
    instances: number(values.instances, 2, 1, 4, 'instances'),
    nginx: !values['no-nginx'],
    out: values.out ?? null,
    keep: values.keep === true,
  };
}
