// The owner record and the one-time setup token, in data/state/owner.json (0600, atomic):
//
//   { "version": 1,
//     "owner": { "id", "passwordHash" (Argon2id PHC), "totpSecret" (base32), "totpLastStep",
//                "createdAt", "updatedAt" } | null,
//     "setup": { "tokenHash" (SHA-256 hex), "createdAt", "expiresAt",
//                "totpSecret"? (offered by /api/setup/start, kept until setup completes) } | null }
//
// Only the hash of the setup token is stored: the token itself is printed once (the link of
// `sil start` / `sil owner reset`). A new token replaces the old one. Setting up the owner
// consumes it. `sil owner reset` (another process) rewrites the file; the running hub notices
// through `ownerId()`, which re-reads the file whenever its inode, size or mtime changed.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { SilError } from '../../errors.ts';
import { readJsonFile, serial, writeJsonFile } from './json-file.ts';
import { generateTotpSecret } from './totp.ts';

export interface OwnerRecord {
  id: string;
  passwordHash: string;
  totpSecret: string;
  totpLastStep: number;
  createdAt: string;
  updatedAt: string;
}

export interface SetupRecord {
  tokenHash: string;
  createdAt: string;
  expiresAt: string;
  totpSecret?: string;
}

export interface OwnerFile {
  version: 1;
  owner: OwnerRecord | null;
  setup: SetupRecord | null;
}

export const SETUP_TOKEN_TTL_MS = 24 * 3_600_000;
export const OWNER_FILE = 'owner.json';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const isString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

function validOwner(v: unknown): OwnerRecord | null {
  const o = v as Partial<OwnerRecord> | null;
  if (!o || typeof o !== 'object') return null;
  if (!isString(o.id) || !isString(o.passwordHash) || !isString(o.totpSecret) || !isString(o.createdAt)) return null;
  return { id: o.id, passwordHash: o.passwordHash, totpSecret: o.totpSecret, totpLastStep: Number.isInteger(o.totpLastStep) ? o.totpLastStep! : -1, createdAt: o.createdAt, updatedAt: isString(o.updatedAt) ? o.updatedAt : o.createdAt };
}

function validSetup(v: unknown): SetupRecord | null {
  const s = v as Partial<SetupRecord> | null;
  if (!s || typeof s !== 'object' || !isString(s.tokenHash) || !isString(s.expiresAt)) return null;
  return { tokenHash: s.tokenHash, createdAt: isString(s.createdAt) ? s.createdAt : s.expiresAt, expiresAt: s.expiresAt, ...(isString(s.totpSecret) ? { totpSecret: s.totpSecret } : {}) };
}

export class OwnerStore {
  readonly path: string;
  private readonly exclusive = serial();
  private cache: { signature: string; id: string | null } | null = null;

  constructor(stateDir: string) {
    this.path = join(stateDir, OWNER_FILE);
  }

  async read(): Promise<OwnerFile> {
    const raw = (await readJsonFile(this.path)) as Partial<OwnerFile> | undefined;
    return { version: 1, owner: validOwner(raw?.owner), setup: validSetup(raw?.setup) };
  }

  private async write(file: OwnerFile): Promise<void> {
    await writeJsonFile(this.path, file);
    this.cache = null;
  }

  /** The current owner's id (null: none yet); cheap to call per request (a stat, a read when changed). */
  async ownerId(): Promise<string | null> {
    const st = await stat(this.path).catch(() => null);
    const signature = st ? `${st.ino}:${st.size}:${st.mtimeMs}` : 'none';
    if (this.cache?.signature === signature) return this.cache.id;
    const id = st ? (await this.read()).owner?.id ?? null : null;
    this.cache = { signature, id };
    return id;
  }

  async owner(): Promise<OwnerRecord | null> {
    return (await this.read()).owner;
  }

  /** A new one-time setup token (replacing any earlier one); refused when an owner exists. */
  issueSetupToken(now: Date, ttlMs = SETUP_TOKEN_TTL_MS): Promise<string> {
    return this.exclusive(async () => {
      const file = await this.read();
      if (file.owner) throw new SilError('SIL_SETUP_DONE');
      const token = randomBytes(32).toString('base64url');
      await this.write({ ...file, setup: { tokenHash: sha256(token), createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + ttlMs).toISOString() } });
      return token;
    });
  }

  private checkToken(file: OwnerFile, token: unknown, now: Date): SetupRecord {
    if (file.owner) throw new SilError('SIL_SETUP_DONE');
    const setup = file.setup;
    const given = Buffer.from(sha256(typeof token === 'string' ? token : ''), 'hex');
    const expected = Buffer.from(setup?.tokenHash ?? '', 'hex');
    const same = expected.length === given.length && timingSafeEqual(given, expected);
    if (!setup || !same || typeof token !== 'string') throw new SilError('SIL_SETUP_TOKEN');
    if (Date.parse(setup.expiresAt) <= now.getTime()) throw new SilError('SIL_SETUP_TOKEN', 'The setup link has expired.');
    return setup;
  }

  /** Checks the token and returns the TOTP secret to enrol (the same one until setup completes). */
  beginSetup(token: unknown, now: Date): Promise<string> {
    return this.exclusive(async () => {
      const file = await this.read();
      const setup = this.checkToken(file, token, now);
      if (setup.totpSecret) return setup.totpSecret;
      const totpSecret = generateTotpSecret();
      await this.write({ ...file, setup: { ...setup, totpSecret } });
      return totpSecret;
    });
  }

  /** The TOTP secret offered by beginSetup, after checking the token again. */
  async pendingSetup(token: unknown, now: Date): Promise<{ totpSecret: string }> {
    const setup = this.checkToken(await this.read(), token, now);
    if (!setup.totpSecret) throw new SilError('SIL_SETUP_TOKEN', 'Setup was not started with this link.', { hint: 'Call POST /api/setup/start first: it returns the authenticator secret to enrol.' });
    return { totpSecret: setup.totpSecret };
  }

  /**
   * Creates the owner and consumes the token. `totpSecret` must be the one pendingSetup gave
   * (a second start in between cannot change it: beginSetup keeps the first one).
   */
  completeSetup(token: unknown, now: Date, owner: { passwordHash: string; totpSecret: string; totpLastStep: number }): Promise<OwnerRecord> {
    return this.exclusive(async () => {
      const file = await this.read();
      const setup = this.checkToken(file, token, now);
      if (setup.totpSecret !== owner.totpSecret) throw new SilError('SIL_SETUP_TOKEN', 'Setup was not started with this link.');
      const at = now.toISOString();
      const record: OwnerRecord = { id: randomBytes(16).toString('hex'), ...owner, createdAt: at, updatedAt: at };
      await this.write({ version: 1, owner: record, setup: null });
      return record;
    });
  }

  /**
   * Marks a TOTP step as used. False when that step (or a later one) was used already: two
   * logins racing with the same code get one success.
   */
  consumeTotpStep(ownerId: string, step: number): Promise<boolean> {
    return this.exclusive(async () => {
      const file = await this.read();
      if (!file.owner || file.owner.id !== ownerId || step <= file.owner.totpLastStep) return false;
      await this.write({ ...file, owner: { ...file.owner, totpLastStep: step } });
      return true;
    });
  }

  /** Replaces the password hash (rehash on login with stronger parameters). */
  updatePasswordHash(ownerId: string, passwordHash: string, now: Date): Promise<void> {
    return this.exclusive(async () => {
      const file = await this.read();
      if (!file.owner || file.owner.id !== ownerId) return;
      await this.write({ ...file, owner: { ...file.owner, passwordHash, updatedAt: now.toISOString() } });
    });
  }

  /** Removes the owner and any setup token (`sil owner reset` then issues a new token). */
  reset(): Promise<{ hadOwner: boolean }> {
    return this.exclusive(async () => {
      const file = await this.read();
      await this.write({ version: 1, owner: null, setup: null });
      return { hadOwner: file.owner !== null };
    });
  }
}
