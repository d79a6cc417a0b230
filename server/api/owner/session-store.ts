// Owner sessions, in data/state/sessions.json (0600, atomic). The session id (256 random bits,
// base64url, the cookie value) is never stored: the file keys sessions by its SHA-256, so a copy
// of the file opens no session.
//
// A session ends after `idleMs` without a request or `maxMs` after it was created (sil.yaml
// security.sessionIdleMinutes, default 30, and sessionMaxHours, default 12), when the owner
// logs out, when the owner logs in again (rotation: one session at a time, the new one gets a
// new id), and when the owner it belongs to is gone (`sil owner reset`).
//
// Creating and ending sessions writes the file at once; last-seen times change in memory and
// are written in batches (every `flushMs`, and on close), never per request. After a restart a
// session may so look up to `flushMs` older than it was: it ends a little early, never late.
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { readJsonFile, serial, writeJsonFile } from './json-file.ts';

export interface SessionRecord {
  /** SHA-256 (hex) of the session id. */
  idHash: string;
  ownerId: string;
  /** Unix milliseconds. */
  createdAt: number;
  lastSeenAt: number;
  ip?: string;
  userAgent?: string;
}

export interface SessionLimits {
  idleMs: number;
  maxMs: number;
}

export const SESSIONS_FILE = 'sessions.json';
const ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const MAX_SESSIONS = 100;

export const hashSessionId = (id: string): string => createHash('sha256').update(id).digest('hex');

export interface SessionStoreOptions {
  stateDir: string;
  /** How often changed last-seen times are written (default 30 s). */
  flushMs?: number;
  log?: (line: string) => void;
  /** Called when a lookup finds a session that ended by time or because its owner is gone. */
  onExpired?: (session: SessionRecord, why: 'idle' | 'max-age' | 'owner-gone') => void;
}

export class SessionStore {
  readonly path: string;
  private readonly sessions = new Map<string, SessionRecord>();
  private readonly flushMs: number;
  private readonly log: (line: string) => void;
  private readonly onExpired: NonNullable<SessionStoreOptions['onExpired']>;
  private readonly exclusive = serial();
  private loaded: Promise<void> | null = null;
  private dirty = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(opts: SessionStoreOptions) {
    this.path = join(opts.stateDir, SESSIONS_FILE);
    this.flushMs = opts.flushMs ?? 30_000;
    this.log = opts.log ?? (() => {});
    this.onExpired = opts.onExpired ?? (() => {});
  }

  private load(): Promise<void> {
    this.loaded ??= (async () => {
      const raw = (await readJsonFile(this.path)) as { sessions?: unknown } | undefined;
      const list = Array.isArray(raw?.sessions) ? raw.sessions : [];
      for (const s of list as Partial<SessionRecord>[]) {
        if (typeof s?.idHash === 'string' && typeof s.ownerId === 'string' && Number.isFinite(s.createdAt) && Number.isFinite(s.lastSeenAt)) {
          this.sessions.set(s.idHash, { idHash: s.idHash, ownerId: s.ownerId, createdAt: s.createdAt!, lastSeenAt: s.lastSeenAt!, ip: s.ip, userAgent: s.userAgent });
        }
      }
    })();
    return this.loaded;
  }

  /** Writes the sessions now (serialised: two writes never interleave). */
  flush(): Promise<void> {
    this.dirty = false;
    return this.exclusive(() => writeJsonFile(this.path, { version: 1, sessions: [...this.sessions.values()] }));
  }

  private scheduleFlush(): void {
    this.dirty = true;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.dirty) this.flush().catch((err) => this.log(`sessions: cannot write ${this.path}: ${(err as Error).message}`));
    }, this.flushMs);
    this.timer.unref();
  }

  /**
   * A new session for `ownerId`: every other session of that owner ends (rotation on login).
   * Returns the id, to be sent as the cookie; only its hash is kept.
   */
  async create(ownerId: string, now: number, meta: { ip?: string; userAgent?: string } = {}): Promise<{ id: string; record: SessionRecord }> {
    await this.load();
    for (const [hash, s] of this.sessions) if (s.ownerId === ownerId) this.sessions.delete(hash);
    if (this.sessions.size >= MAX_SESSIONS) {
      const oldest = [...this.sessions.values()].sort((a, b) => a.lastSeenAt - b.lastSeenAt)[0];
      this.sessions.delete(oldest.idHash);
    }
    const id = randomBytes(32).toString('base64url');
    const record: SessionRecord = { idHash: hashSessionId(id), ownerId, createdAt: now, lastSeenAt: now, ip: meta.ip, userAgent: meta.userAgent?.slice(0, 200) };
    this.sessions.set(record.idHash, record);
    await this.flush();
    return { id, record };
  }

  /**
   * The live session with this id, its last-seen time moved to `now`; undefined (and the
   * session ended) when it is unknown, idle too long, too old, or of another owner.
   */
  async lookup(id: string | undefined, now: number, limits: SessionLimits, ownerId: string | null): Promise<SessionRecord | undefined> {
    if (!id || !ID_PATTERN.test(id)) return undefined;
    await this.load();
    const hash = hashSessionId(id);
    const s = this.sessions.get(hash);
    if (!s) return undefined;
    const why = s.ownerId !== ownerId ? 'owner-gone' : now - s.createdAt > limits.maxMs ? 'max-age' : now - s.lastSeenAt > limits.idleMs ? 'idle' : null;
    if (why) {
      this.sessions.delete(hash);
      this.scheduleFlush();
      this.onExpired(s, why);
      return undefined;
    }
    if (now > s.lastSeenAt) {
      s.lastSeenAt = now;
      this.scheduleFlush();
    }
    return s;
  }

  /** Ends one session (logout); true when it existed. */
  async delete(id: string): Promise<boolean> {
    await this.load();
    const existed = this.sessions.delete(hashSessionId(id));
    if (existed) await this.flush();
    return existed;
  }

  /** Ends every session (owner reset). */
  async clear(): Promise<void> {
    await this.load();
    this.sessions.clear();
    await this.flush();
  }

  /** Drops ended sessions from memory and the file (called now and then; lookups end them too). */
  async prune(now: number, limits: SessionLimits, ownerId: string | null): Promise<number> {
    await this.load();
    let removed = 0;
    for (const [hash, s] of this.sessions) {
      if (s.ownerId !== ownerId || now - s.lastSeenAt > limits.idleMs || now - s.createdAt > limits.maxMs) {
        this.sessions.delete(hash);
        removed++;
      }
    }
    if (removed) await this.flush();
    return removed;
  }

  get size(): number {
    return this.sessions.size;
  }

  /** Writes pending last-seen times and stops the timer. */
  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.dirty) await this.flush();
  }
}
