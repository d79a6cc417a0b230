import { describe, it, expect } from 'vitest';
import {
  addKey, updateKey, rotateKey, activateKey, suspendKey, revokeKey, deleteKey, setDefaultKey, retireDue, rotationDueInDays, type Keyring,
} from '../../../server/vault/keyring.ts';
import { fingerprint } from '../../../server/vault/fingerprint.ts';

const t0 = new Date('2026-01-01T00:00:00Z');
const ctx = (now = t0) => ({ provider: 'p', now, mainField: 'apiKey' });
const S1 = { apiKey: 'sk-one-aaaaaaaaaaaaaaaa1111' };
const S2 = { apiKey: 'sk-two-bbbbbbbbbbbbbbbb2222' };
const empty: Keyring = { keys: [] };
const ids = (k: Keyring) => k.keys.map((x) => `${x.id}:${x.status}${x.default ? '*' : ''}`);

describe('keyring lifecycle', () => {
  it('add: the first active key becomes the default; staged keys do not', () => {
    const a = addKey(empty, ctx(), { secret: S1, label: 'main' }).keyring;
    expect(ids(a)).toEqual(['primary:active*']);
    expect(a.keys[0]).toMatchObject({ created: '2026-01-01T00:00:00Z', fingerprint: fingerprint(S1, 'apiKey'), secret: S1, label: 'main' });
    const b = addKey(a, ctx(), { secret: S2, staged: true }).keyring;
    expect(ids(b)).toEqual(['primary:active*', 'key-2:staged']);
    expect(() => addKey(b, ctx(), { id: 'primary', secret: S2 })).toThrow(/already has a key "primary"/);
    expect(ids(a)).toEqual(['primary:active*']);
  });

  it('fingerprints show the hash prefix and the last 4 characters, and change with the secret', () => {
    expect(fingerprint(S1, 'apiKey')).toMatch(/^sha256:[0-9a-f]{12}\.\.\.1111$/);
    expect(fingerprint(S1, 'apiKey')).not.toBe(fingerprint(S2, 'apiKey'));
    expect(fingerprint({ a: 'x', b: 'y' }, 'a')).toBe(fingerprint({ b: 'y', a: 'x' }, 'a'));
    expect(fingerprint({ apiKey: 'short' }, 'apiKey')).toMatch(/^sha256:[0-9a-f]{12}$/);
  });

  it('rotate: overlap-safe, the new key takes the default, the old one retires for the grace period', () => {
    const a = addKey(empty, ctx(), { secret: S1 }).keyring;
    const r = rotateKey(a, ctx(), { secret: S2, graceDays: 7 });
    expect(ids(r.keyring)).toEqual(['primary:retiring', 'primary-2:active*']);
    expect(r.keyring.keys[0]).toMatchObject({ retireAt: '2026-01-08T00:00:00Z', rotated: '2026-01-01T00:00:00Z', secret: S1 });
    expect(r.keyring.keys[1]).toMatchObject({ replaces: 'primary', secret: S2 });
    expect(r.message).toBe('keys: rotate p/primary -> primary-2 (primary retires 2026-01-08T00:00:00Z)');
    expect(retireDue(r.keyring, ctx(new Date('2026-01-07T23:59:59Z')))).toBeNull();
    const done = retireDue(r.keyring, ctx(new Date('2026-01-08T00:00:00Z')))!;
    expect(ids(done.keyring)).toEqual(['primary:revoked', 'primary-2:active*']);
    expect(done.keyring.keys[0].secret).toBeUndefined();
    const now = rotateKey(a, ctx(), { secret: S2, graceDays: 0 }).keyring;
    expect(ids(now)).toEqual(['primary:revoked', 'primary-2:active*']);
  });

  it('suspend and revoke hand the default over, or warn that none is left', () => {
    let k = addKey(empty, ctx(), { secret: S1 }).keyring;
    k = addKey(k, ctx(), { id: 'b', secret: S2 }).keyring;
    const s = suspendKey(k, ctx(), 'primary');
    expect(ids(s.keyring)).toEqual(['primary:suspended', 'b:active*']);
    expect(s.warnings).toEqual(['"b" is now the default key']);
    const r = revokeKey(s.keyring, ctx(), 'b');
    expect(ids(r.keyring)).toEqual(['primary:suspended', 'b:revoked']);
    expect(r.warnings[0]).toMatch(/has no active key left/);
    expect(r.keyring.keys[1].secret).toBeUndefined();
    const a = activateKey(r.keyring, ctx(), 'primary');
    expect(ids(a.keyring)).toEqual(['primary:active*', 'b:revoked']);
    expect(() => activateKey(a.keyring, ctx(), 'b')).toThrow(/revoked and cannot be activated/);
  });

  it('default needs an active key; delete needs a revoked one unless forced; update keeps the id', () => {
    let k = addKey(empty, ctx(), { secret: S1 }).keyring;
    k = addKey(k, ctx(), { id: 'b', secret: S2, staged: true }).keyring;
    expect(() => setDefaultKey(k, ctx(), 'b')).toThrow(/only an active key can be the default/);
    expect(() => deleteKey(k, ctx(), 'b')).toThrow(/key "b" is staged; delete removes it from the file/);
    expect(ids(deleteKey(k, ctx(), 'b', true).keyring)).toEqual(['primary:active*']);
    const u = updateKey(k, ctx(new Date('2026-02-01T00:00:00Z')), 'primary', { secret: S2, label: 'new' }).keyring.keys[0];
    expect(u).toMatchObject({ id: 'primary', label: 'new', updated: '2026-02-01T00:00:00Z', fingerprint: fingerprint(S2, 'apiKey') });
    expect(() => updateKey(k, ctx(), 'nope', {})).toThrow(/has no key "nope"/);
  });

  it('tells when a key is due for rotation', () => {
    const key = addKey(empty, ctx(), { secret: S1 }).keyring.keys[0];
    expect(rotationDueInDays(key, 90, new Date('2026-01-31T00:00:00Z'))).toBe(60);
    expect(rotationDueInDays(key, 90, new Date('2026-04-11T00:00:00Z'))).toBe(-10);
  });
});
