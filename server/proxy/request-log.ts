// The last requests the proxy handled, for the admin API: bounded, no bodies, no secrets.
export interface RequestLogEntry {
  id: string;
  at: string;
  client: string;
  binding: string;
  door: 'unified' | 'bind';
  provider?: string;
  model?: string;
  keyId?: string;
  status: number;
  latencyMs: number;
  attempts: number;
  failoverReasons: string[];
}

/** What the proxy adds: the time as epoch milliseconds (formatted only when listed). */
export type RequestRecord = Omit<RequestLogEntry, 'at'> & { at: number };

export class RequestLog {
  private readonly entries: (RequestRecord | undefined)[];
  private readonly capacity: number;
  private next = 0;
  private count = 0;

  constructor(capacity = 1000) {
    this.capacity = capacity;
    this.entries = new Array(capacity);
  }

  add(entry: RequestRecord): void {
    this.entries[this.next] = entry;
    this.next = (this.next + 1) % this.capacity;
    this.count = Math.min(this.count + 1, this.capacity);
  }

  /** Newest first; `before` pages back from an entry id. */
  list(limit = 50, before?: string): RequestLogEntry[] {
    const out: RequestLogEntry[] = [];
    let skipping = before !== undefined;
    for (let i = 1; i <= this.count && out.length < limit; i++) {
      const e = this.entries[(this.next - i + this.capacity) % this.capacity]!;
      if (skipping) {
        if (e.id === before) skipping = false;
        continue;
      }
      out.push({ ...e, at: new Date(e.at).toISOString() });
    }
    return out;
  }
}
