// The messages between bench:proxy and its child processes.
export interface LoadRequest {
  type: 'run';
  id: number;
  url: string;
  headers: Record<string, string>;
  body: string;
  connections: number;
  duration: number;
  maxRequests: number;
}

export interface RunResult {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** Mean bytes per answer as received (headers and body, still compressed where it was). */
  bytesPerAnswer: number;
  statusCodes: Record<string, number>;
  errors: number;
  timeouts: number;
  non2xx: number;
}

export interface UsageByBinding { [binding: string]: { requests: number; inputTokens: number; outputTokens: number } }

export type ChildMessage =
  | { type: 'ready'; url?: string; token?: string }
  | { type: 'result'; id: number; result?: RunResult; error?: string }
  | { type: 'mem'; usage: NodeJS.MemoryUsage }
  | { type: 'usage'; byBinding: UsageByBinding };
