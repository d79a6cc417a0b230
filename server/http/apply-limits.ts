// Puts the limits of server-limits.ts on the hub's server: node:http applies the request time
// limits, keep-alive and header size itself (serverOptions); this adds what it does not do:
// closing connections whose caller stopped reading, the connection limit, and log lines for
// refused connections and failed accepts that keep the process running.
import { readFileSync } from 'node:fs';
import type { Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { closeSilent, parseOpenFilesLimit, type ResolvedLimits } from './server-limits.ts';
import { tally } from './event-tally.ts';

const REPORT_EVERY_MS = 60_000;

/** "a connection", or "12 connections in the last 60 s". */
const connections = (count: number, sinceMs: number) =>
  count === 1 && sinceMs === 0 ? 'a connection' : `${count} connection${count === 1 ? '' : 's'} in the last ${Math.round(sinceMs / 1000)} s`;

/** The process's open-files limit (Linux; null elsewhere). Node raises the soft limit to the hard one at start. */
export function openFilesLimit(): number | null {
  try {
    return parseOpenFilesLimit(readFileSync('/proc/self/limits', 'utf8'));
  } catch {
    return null;
  }
}

// node:http keeps the answer in progress on the socket (cleared when it has been sent).
const answerOn = (socket: Socket): ServerResponse | null => (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage ?? null;

export function applyServerLimits(server: Server, limits: ResolvedLimits, log: (line: string) => void): void {
  server.maxConnections = limits.maxConnections;
  // A socket silent this long emits 'timeout'; with a listener, node:http leaves the decision to it.
  server.timeout = limits.stalledSocketMs;
  server.on('timeout', (socket: Socket) => {
    const res = answerOn(socket);
    const callerNotReading = res !== null && (res.writableNeedDrain || (res.writableEnded && !res.writableFinished));
    if (closeSilent({ inRequest: res !== null, callerNotReading })) socket.destroy();
  });
  const dropped = tally(REPORT_EVERY_MS, Date.now, (count, sinceMs) =>
    log(`http: refused ${connections(count, sinceMs)}: ${limits.maxConnections} are open, the limit; ` +
      'raise the open-files limit (ulimit -n) to allow more, or see who holds them (ss -tn)'));
  server.on('drop', dropped);
}

/** After listening: errors of the running server (a failed accept) are logged, never fatal. */
export function logServerErrors(server: Server, log: (line: string) => void): void {
  let last = '';
  const report = tally(REPORT_EVERY_MS, Date.now, (count, sinceMs) =>
    log(`http: cannot accept ${connections(count, sinceMs)}: ${last}; ` +
      (/EMFILE|ENFILE/.test(last) ? 'the process has no file descriptors left: raise the open-files limit (ulimit -n)' : 'the hub keeps listening; if this repeats, check the network interface and restart the hub')));
  server.on('error', (err: NodeJS.ErrnoException) => {
    last = err.code && !err.message.includes(err.code) ? `${err.code}: ${err.message}` : err.message;
    report();
  });
}
