import { describe, it, expect, afterEach } from 'vitest';
import { readFileSync, statSync, existsSync, writeFileSync, mkdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { OwnerStore } from '../../../../server/api/owner/owner-store.ts';
import { SessionStore, hashSessionId } from '../../../../server/api/owner/session-store.ts';
import { tempDir } from '../../../helpers/tmp.ts';
import { caught } from '../../../helpers/caught.ts';

const dirs: { cleanup(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));
function stateDir(): string {
  const d = tempDir('sil-owner-');
  dirs.push(d);
  return join(d.path, 'state');
}
const T0 = new Date('2030-01-01T00:00:00Z');
const OWNER = { passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', totpLastStep: 5 };

describe('owner store', () => {
  it('keeps only the hash of the setup token, in a 0600 file', async () => {
    const dir = stateDir();
    const store = new OwnerStore(dir);
    const token = await store.issueSetupToken(T0);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const text = readFileSync(join(dir, 'owner.json'), 'utf8');
    expect(text).not.toContain(token);
    expect(text).toContain(createHash('sha256').update(token).digest('hex'));
    expect(statSync(join(dir, 'owner.json')).mode & 0o777).toBe(0o600);
  });

  it('runs setup with the token once: same TOTP secret on every start, consumed on completion', async () => {
    const store = new OwnerStore(stateDir());
    const token = await store.issueSetupToken(T0);
    expect(await store.ownerId()).toBeNull();
    expect((await caught(store.beginSetup('wrong', T0))).code).toBe('SIL_SETUP_TOKEN');
    expect((await caught(store.pendingSetup(token, T0))).code).toBe('SIL_SETUP_TOKEN'); // not started
    const secret = await store.beginSetup(token, T0);
    expect(await store.beginSetup(token, T0)).toBe(secret);
    expect(await store.pendingSetup(token, T0)).toEqual({ totpSecret: secret });
    const owner = await store.completeSetup(token, T0, { ...OWNER, totpSecret: secret });
    expect(await store.ownerId()).toBe(owner.id);
    expect((await caught(store.beginSetup(token, T0))).code).toBe('SIL_SETUP_DONE');
    expect((await caught(store.issueSetupToken(T0))).code).toBe('SIL_SETUP_DONE');
    expect((await store.read()).setup).toBeNull();
  });

  it('refuses an expired token and replaces an older token with a newer one', async () => {
    const store = new OwnerStore(stateDir());
    const old = await store.issueSetupToken(T0);
    const token = await store.issueSetupToken(T0, 1000);
    expect((await caught(store.beginSetup(old, T0))).code).toBe('SIL_SETUP_TOKEN');
    expect(await store.beginSetup(token, new Date(T0.getTime() + 999))).toMatch(/^[A-Z2-7]{32}$/);
    expect((await caught(store.beginSetup(token, new Date(T0.getTime() + 1000)))).message).toMatch(/expired/);
  });

  it('uses each TOTP step once, also when two logins race', async () => {
    const store = new OwnerStore(stateDir());
    const token = await store.issueSetupToken(T0);
    const owner = await store.completeSetup(token, T0, { ...OWNER, totpSecret: await store.beginSetup(token, T0) });
    const results = await Promise.all([store.consumeTotpStep(owner.id, 6), store.consumeTotpStep(owner.id, 6)]);
    expect(results.sort()).toEqual([false, true]);
    expect(await store.consumeTotpStep(owner.id, 5)).toBe(false);
    expect(await store.consumeTotpStep(owner.id, 7)).toBe(true);
  });

  it('sees a reset made by another process', async () => {
    const dir = stateDir();
    const store = new OwnerStore(dir);
    const token = await store.issueSetupToken(T0);
    const owner = await store.completeSetup(token, T0, { ...OWNER, totpSecret: await store.beginSetup(token, T0) });
    expect(await store.ownerId()).toBe(owner.id);
    expect(await new OwnerStore(dir).reset()).toEqual({ hadOwner: true });
    expect(await store.ownerId()).toBeNull();
  });

  it('reports a corrupt file instead of treating it as no owner', async () => {
    const dir = stateDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'owner.json'), '{not json');
    expect((await caught(new OwnerStore(dir).ownerId())).code).toBe('SIL_DATA_DIR');
  });
});

describe('session store', () => {
  const limits = { idleMs: 30 * 60_000, maxMs: 12 * 3_600_000 };

  it('stores only the hash of a 256-bit session id, in a 0600 file', async () => {
    const dir = stateDir();
    const store = new SessionStore({ stateDir: dir });
    const { id } = await store.create('o1', 1000, { ip: '10.0.0.1' });
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(id, 'base64url')).toHaveLength(32);
    const text = readFileSync(join(dir, 'sessions.json'), 'utf8');
    expect(text).not.toContain(id);
    expect(text).toContain(hashSessionId(id));
    expect(statSync(join(dir, 'sessions.json')).mode & 0o777).toBe(0o600);
    expect(await new SessionStore({ stateDir: dir }).lookup(id, 2000, limits, 'o1')).toMatchObject({ ownerId: 'o1', ip: '10.0.0.1' });
  });

  it('ends sessions idle too long or older than the maximum', async () => {
    const store = new SessionStore({ stateDir: stateDir() });
    const { id } = await store.create('o1', 0);
    expect(await store.lookup(id, limits.idleMs, limits, 'o1')).toBeDefined();
    expect(await store.lookup(id, 2 * limits.idleMs + 1, limits, 'o1')).toBeUndefined();
    expect(await store.lookup(id, 0, limits, 'o1')).toBeUndefined(); // ended for good
    const b = await store.create('o1', 0);
    let t = 0;
    while (t + limits.idleMs < limits.maxMs) {
      t += limits.idleMs;
      expect(await store.lookup(b.id, t, limits, 'o1')).toBeDefined();
    }
    expect(await store.lookup(b.id, limits.maxMs + 1, limits, 'o1')).toBeUndefined();
  });

  it('rotates on login: a new session ends the owner\'s other sessions', async () => {
    const store = new SessionStore({ stateDir: stateDir() });
    const a = await store.create('o1', 0);
    const b = await store.create('o1', 10);
    expect(b.id).not.toBe(a.id);
    expect(await store.lookup(a.id, 20, limits, 'o1')).toBeUndefined();
    expect(await store.lookup(b.id, 20, limits, 'o1')).toBeDefined();
  });

  it('ends sessions of an owner that is gone', async () => {
    const store = new SessionStore({ stateDir: stateDir() });
    const a = await store.create('o1', 0);
    expect(await store.lookup(a.id, 1, limits, 'o2')).toBeUndefined();
    expect(await store.lookup(a.id, 2, limits, 'o1')).toBeUndefined();
  });

  it('writes last-seen times in batches, not per request', async () => {
    const dir = stateDir();
    const store = new SessionStore({ stateDir: dir, flushMs: 60_000 });
    const { id } = await store.create('o1', 0);
    const before = readFileSync(join(dir, 'sessions.json'), 'utf8');
    for (let t = 1; t <= 50; t++) await store.lookup(id, t * 1000, limits, 'o1');
    expect(readFileSync(join(dir, 'sessions.json'), 'utf8')).toBe(before);
    await store.close();
    expect(JSON.parse(readFileSync(join(dir, 'sessions.json'), 'utf8')).sessions[0].lastSeenAt).toBe(50_000);
  });

  it('ignores malformed cookie values without touching the file', async () => {
    const dir = stateDir();
    const store = new SessionStore({ stateDir: dir });
    expect(await store.lookup('../../etc/passwd', 0, limits, 'o1')).toBeUndefined();
    expect(await store.lookup(undefined, 0, limits, 'o1')).toBeUndefined();
    expect(existsSync(join(dir, 'sessions.json'))).toBe(false);
  });
});
