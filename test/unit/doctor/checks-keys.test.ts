import { describe, it, expect } from 'vitest';
import { checkAgeIdentity, checkSigningKey, type AgeFacts, type SigningFacts } from '../../../server/doctor/checks-keys.ts';

const HUB = `age1${'q'.repeat(58)}`;
const OWNER = `age1${'p'.repeat(58)}`;
const age = (over: Partial<AgeFacts> = {}): AgeFacts => ({ path: '/d/keys/age.key', recipient: HUB, sopsRecipients: [HUB, OWNER], secretsFiles: [{ path: 'secrets/a.yaml', recipients: [HUB, OWNER] }], ...over });
const C = (n: number) => String(n).repeat(40);
const signing = (over: Partial<SigningFacts> = {}): SigningFacts => ({
  path: '/d/keys/signing', fingerprint: 'SHA256:abc', pubMatches: true, required: false,
  history: [{ commit: C(1), status: 'good' }, { commit: C(2), status: 'unsigned' }], ...over,
});

describe('doctor: age identity', () => {
  it('ok when the hub\'s recipient is in .sops.yaml and every secrets file', () => {
    expect(checkAgeIdentity(age())).toMatchObject({ status: 'ok', message: expect.stringContaining('opens 1 secrets file(s)') });
  });

  it('FAIL when missing, naming the restore', () => {
    expect(checkAgeIdentity(age({ recipient: undefined, error: 'cannot read: ENOENT' }))).toMatchObject({ status: 'fail', message: '/d/keys/age.key: cannot read: ENOENT', fix: expect.stringContaining('sil restore') });
  });

  it('FAIL when .sops.yaml or a secrets file was made for another identity', () => {
    expect(checkAgeIdentity(age({ sopsRecipients: [OWNER] }))).toMatchObject({ status: 'fail', message: expect.stringContaining('is not in .sops.yaml') });
    expect(checkAgeIdentity(age({ secretsFiles: [{ path: 'secrets/b.yaml', recipients: [OWNER] }] }))).toMatchObject({ status: 'fail', message: expect.stringContaining('secrets/b.yaml') });
  });
});

describe('doctor: signing key', () => {
  it('ok with the fingerprint and how many commits verify', () => {
    expect(checkSigningKey(signing())).toMatchObject({ status: 'ok', message: "SHA256:abc; 1 of main's last 2 commits verify" });
  });

  it('FAIL when missing or unusable', () => {
    expect(checkSigningKey(signing({ fingerprint: undefined, error: 'cannot read the signing key: ENOENT' }))).toMatchObject({ status: 'fail', fix: expect.stringContaining('restore keys/signing from the backup') });
    expect(checkSigningKey(signing({ fingerprint: undefined, error: 'the signing key may be read by other users (mode 0644)', hint: 'run `chmod 600 /d/keys/signing`' }))).toMatchObject({ status: 'fail', message: expect.stringContaining('mode 0644'), fix: 'run `chmod 600 /d/keys/signing`' });
  });

  it('warns when recent commits are signed by a key it does not know (a replaced key)', () => {
    const r = checkSigningKey(signing({ history: [{ commit: C(1), status: 'good' }, { commit: C(3), status: 'unknown-signer' }] }));
    expect(r).toMatchObject({ status: 'warn', message: expect.stringContaining('3333333'), fix: expect.stringContaining('restore keys/signing') });
  });

  it('FAIL for a bad signature, or an unsigned main when signatures are required', () => {
    expect(checkSigningKey(signing({ history: [{ commit: C(4), status: 'bad' }] })).status).toBe('fail');
    expect(checkSigningKey(signing({ required: true, history: [{ commit: C(5), status: 'unsigned' }] }))).toMatchObject({ status: 'fail', message: expect.stringContaining('requireSignedCommits') });
  });

  it('warns when signing.pub does not match the key', () => {
    expect(checkSigningKey(signing({ pubMatches: false }))).toMatchObject({ status: 'warn', fix: 'delete /d/keys/signing.pub: sil writes it again from the key on start' });
  });
});
