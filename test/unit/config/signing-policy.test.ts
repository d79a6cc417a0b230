import { describe, it, expect } from 'vitest';
import { signingPolicy, signatureIssue, signingSettingsFromText, HUB_PRINCIPAL } from '../../../server/config/signing-policy.ts';
import { splitSignedCommit, checkRawCommit } from '../../../server/config/commit-signature.ts';
import { signPayload } from '../../../server/config/ssh-signature.ts';
import { userKey } from '../../helpers/signed-git.ts';

const hub = userKey();
const alice = userKey();
const mallory = userKey();
const ALICE = alice.line('alice@example.test');
const MALLORY = mallory.line('mallory@example.test');

const PAYLOAD = 'tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nparent 1111111111111111111111111111111111111111\nauthor A <a@x> 1 +0000\ncommitter A <a@x> 1 +0000\n\nchange things\n';
function signed(payload: string, key = alice, extra = ''): Buffer {
  const sig = signPayload(payload, key).trim().split('\n').join('\n ');
  const end = payload.indexOf('\n\n') + 1;
  return Buffer.from(`${payload.slice(0, end)}gpgsig ${sig}\n${extra}${payload.slice(end)}`);
}

describe('commit objects and their gpgsig header', () => {
  it('splits off the signature (continuation lines) and gives back the payload git signed', () => {
    const raw = signed(PAYLOAD);
    const { payload, signature } = splitSignedCommit(raw);
    expect(payload.toString()).toBe(PAYLOAD);
    // Ed25519 signatures are deterministic: the header holds exactly what signPayload made.
    expect(signature).toBe(signPayload(PAYLOAD, alice));
  });

  it('drops a gpgsig-sha256 header from the payload too, and keeps other multi-line headers', () => {
    const withMergetag = PAYLOAD.replace('committer', 'mergetag object 22\n type commit\ncommitter');
    const raw = signed(withMergetag, alice, 'gpgsig-sha256 -----BEGIN SSH SIGNATURE-----\n xyz\n -----END SSH SIGNATURE-----\n');
    expect(splitSignedCommit(raw).payload.toString()).toBe(withMergetag);
    expect(checkRawCommit('c1', raw, [ALICE]).status).toBe('good');
  });

  it('tells good, unsigned, bad, unknown-signer and OpenPGP commits apart', () => {
    expect(checkRawCommit('c1', signed(PAYLOAD), [ALICE])).toEqual({ commit: 'c1', status: 'good', signer: 'alice@example.test' });
    expect(checkRawCommit('c2', Buffer.from(PAYLOAD), [ALICE])).toMatchObject({ status: 'unsigned' });
    expect(checkRawCommit('c3', Buffer.from(signed(PAYLOAD).toString().replace('change things', 'change other things')), [ALICE])).toMatchObject({ status: 'bad' });
    expect(checkRawCommit('c4', signed(PAYLOAD, mallory), [ALICE])).toMatchObject({ status: 'unknown-signer', signer: expect.stringMatching(/^SHA256:/) });
    const pgp = Buffer.from(PAYLOAD.replace('\n\n', '\ngpgsig -----BEGIN PGP SIGNATURE-----\n abc\n -----END PGP SIGNATURE-----\n\n'));
    expect(checkRawCommit('c5', pgp, [ALICE])).toMatchObject({ status: 'unknown-signer', reason: expect.stringMatching(/OpenPGP/) });
  });
});

describe('signing policy (security.requireSignedCommits)', () => {
  const on = (allowedSigners: string[] = []) => ({ requireSignedCommits: true, allowedSigners });
  const off = (allowedSigners: string[] = []) => ({ requireSignedCommits: false, allowedSigners });

  it('is off only when neither the previous config nor the commit requires signatures', () => {
    expect(signingPolicy(hub.publicKey, off(), off()).required).toBe(false);
    expect(signingPolicy(hub.publicKey, undefined, undefined).required).toBe(false);
    expect(signingPolicy(hub.publicKey, on(), off()).required).toBe(true);
    expect(signingPolicy(hub.publicKey, off(), on()).required).toBe(true);
  });

  it('always allows the hub key; takes signers from the previous config, not from the commit that adds them', () => {
    const p = signingPolicy(hub.publicKey, on([ALICE]), on([ALICE, MALLORY]));
    expect(p.signers.map((s) => s.principals)).toEqual([HUB_PRINCIPAL, 'alice@example.test']);
    const turningOn = signingPolicy(hub.publicKey, off(), on([ALICE]));
    expect(turningOn.signers.map((s) => s.principals)).toEqual([HUB_PRINCIPAL, 'alice@example.test']);
    expect(signingPolicy(null, on(), on()).signers).toEqual([]);
  });

  it('words the issue for healthz and the hook, naming ignored allowedSigners lines', () => {
    const p = signingPolicy(hub.publicKey, on(['nonsense']), undefined);
    const issue = signatureIssue(p, { commit: 'abcdef0123', status: 'unsigned' });
    expect(issue).toMatchObject({ file: 'sil.yaml', line: 1, column: 1, code: 'SIL_COMMIT_SIGNATURE', severity: 'error' });
    expect(issue!.message).toMatch(/^commit abcdef0 is not signed, and security.requireSignedCommits is on; 1 allowedSigners line\(s\) ignored: expected `email/);
    expect(signatureIssue(p, { commit: 'abcdef0123', status: 'good', signer: 'sil-hub' })).toBeNull();
    expect(signatureIssue(signingPolicy(null, off(), off()), { commit: 'abcdef0123', status: 'unsigned' })).toBeNull();
  });

  it('reads the signing fields from sil.yaml text defensively', () => {
    expect(signingSettingsFromText(`security:\n  requireSignedCommits: true\n  allowedSigners:\n    - ${ALICE}\n    - 3\n`)).toEqual({ requireSignedCommits: true, allowedSigners: [ALICE] });
    expect(signingSettingsFromText('security: [1, 2]\n')).toBeUndefined();
    expect(signingSettingsFromText('{ bad yaml: [')).toBeUndefined();
    expect(signingSettingsFromText('{"security": {"requireSignedCommits": "yes"}}')).toEqual({ requireSignedCommits: false, allowedSigners: [] });
  });
});
