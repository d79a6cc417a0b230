// data/state/alerts.json: the alerts and silences, so a restart keeps what is firing, what was
// acknowledged and what is silenced. Written atomically (temporary file, fsync, rename) when
// something changed, every few seconds and at hub close — never per request.
import { readJsonFile, writeJsonFile } from '../../api/owner/json-file.ts';
import type { StoredAlert } from './alert-book.ts';
import type { AlertSilence } from './types.ts';

export interface AlertFileShape {
  version: 1;
  savedAt: number;
  alerts: StoredAlert[];
  silences: AlertSilence[];
}

const isAlert = (a: unknown): a is StoredAlert => {
  const x = a as StoredAlert;
  return typeof x === 'object' && x !== null && typeof x.id === 'string' && typeof x.kind === 'string' && (x.state === 'firing' || x.state === 'resolved') && typeof x.firedAt === 'number' && Array.isArray(x.channels);
};

/** What the file holds; nothing when it does not exist; nothing and a log line when it cannot be read. */
export async function readAlertFile(path: string, log: (line: string) => void): Promise<{ alerts: StoredAlert[]; silences: AlertSilence[] }> {
  try {
    const parsed = (await readJsonFile(path)) as Partial<AlertFileShape> | undefined;
    if (parsed === undefined) return { alerts: [], silences: [] };
    if (parsed?.version !== 1 || !Array.isArray(parsed.alerts)) throw new Error('not a version 1 alerts file');
    const silences = Array.isArray(parsed.silences) ? parsed.silences.filter((s) => typeof s?.until === 'number' && typeof s.id === 'string') : [];
    return { alerts: parsed.alerts.filter(isAlert), silences };
  } catch (err) {
    log(`alerts: cannot read ${path} (${(err as Error).message}); starting without alerts, the file is replaced at the next write`);
    return { alerts: [], silences: [] };
  }
}

export async function writeAlertFile(path: string, state: { alerts: StoredAlert[]; silences: AlertSilence[] }, now: number): Promise<void> {
  const body: AlertFileShape = { version: 1, savedAt: now, ...state };
  await writeJsonFile(path, body);
}
