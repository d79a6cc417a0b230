// Limits of the hub's HTTP server against slow and idle callers, and the pure rules derived from
// them. Values, effects and reasons: docs/network-limits.md.
import type { ServerOptions } from 'node:http';

export interface ServerLimits {
  /** A request's headers must arrive within this (also: a new connection must start one). */
  headersTimeoutMs: number;
  /** A whole request, headers and body, must arrive within this. */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this (plus Node's 1 s buffer). */
  keepAliveTimeoutMs: number;
  /** A connection whose caller has stopped reading the answer is closed after this. */
  stalledSocketMs: number;
  /** How often Node checks the two request time limits: the cut comes up to this late. */
  checkIntervalMs: number;
  /** Request line and headers together, in bytes (more: 431). */
  maxHeaderBytes: number;
  /** Open connections at most; null derives it from the open-files limit. */
  maxConnections: number | null;
}

export const SERVER_LIMITS: Readonly<ServerLimits> = Object.freeze({
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 300_000,
  keepAliveTimeoutMs: 5_000,
  stalledSocketMs: 30_000,
  checkIntervalMs: 1_000,
  maxHeaderBytes: 16 * 1024,
  maxConnections: null,
});

/** File descriptors kept for the hub's own files, provider connections and child processes. */
export const FD_RESERVE_MIN = 512;
/** Connections at most, whatever the open-files limit (bounds memory; docs/network-limits.md). */
export const MAX_CONNECTIONS_CAP = 16_384;

/** The connection limit for an open-files limit: a quarter (at least 512) is kept for the hub. */
export function maxConnectionsFor(fdLimit: number | null): number {
  if (fdLimit === null || !Number.isFinite(fdLimit)) return MAX_CONNECTIONS_CAP;
  const reserve = Math.max(FD_RESERVE_MIN, Math.ceil(fdLimit / 4));
  return Math.max(1, Math.min(MAX_CONNECTIONS_CAP, fdLimit - reserve));
}

export interface ResolvedLimits extends ServerLimits { maxConnections: number }

/** The defaults with the given overrides, the connection limit resolved. */
export function resolveLimits(overrides: Partial<ServerLimits> | undefined, fdLimit: number | null): ResolvedLimits {
  const l = { ...SERVER_LIMITS, ...overrides };
  if (l.headersTimeoutMs > l.requestTimeoutMs) throw new RangeError(`headersTimeoutMs (${l.headersTimeoutMs}) must not exceed requestTimeoutMs (${l.requestTimeoutMs})`);
  return { ...l, maxConnections: l.maxConnections ?? maxConnectionsFor(fdLimit) };
}

/** What node:http applies itself. */
export function serverOptions(l: ResolvedLimits): ServerOptions {
  return {
    headersTimeout: l.headersTimeoutMs,
    requestTimeout: l.requestTimeoutMs,
    keepAliveTimeout: l.keepAliveTimeoutMs,
    connectionsCheckingInterval: l.checkIntervalMs,
    maxHeaderSize: l.maxHeaderBytes,
  };
}

/** What a connection is doing when nothing has moved on it for `stalledSocketMs`. */
export interface SilentSocket {
  /** A request on it is being read or answered. */
  inRequest: boolean;
  /** Its answer has more to send than the socket takes: the caller does not read. */
  callerNotReading: boolean;
}

/**
 * Whether to close a silent connection. Between requests nothing is lost; an answer the caller
 * does not read would hold its memory forever. A request whose body is late is left to
 * requestTimeoutMs (a 408), and an answer the hub still waits for (a provider's) to the
 * binding's total time limit.
 */
export function closeSilent(s: SilentSocket): boolean {
  return !s.inRequest || s.callerNotReading;
}

/** The soft open-files limit from the text of /proc/self/limits; null when it says none. */
export function parseOpenFilesLimit(procLimits: string): number | null {
  const m = /^Max open files\s+(\d+)/m.exec(procLimits);
  return m ? Number(m[1]) : null;
}
