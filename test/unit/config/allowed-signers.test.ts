import { describe, it, expect } from 'vitest';
import { parseAllowedSigners, allowedSignerLine, findSigner, matchesPatternList, parseSignerLine } from '../../../server/config/allowed-signers.ts';
import { ed25519Blob, sshString } from '../../../server/config/ssh-wire.ts';
import { userKey } from '../../helpers/signed-git.ts';

const key = userKey();
const b64 = ed25519Blob(key.publicKey).toString('base64');

describe('allowed-signers lines', () => {
  it('reads the forms git documents: plain, with namespaces, with a comment, several principals', () => {
    const { signers, problems } = parseAllowedSigners([
      `alice@example.test ssh-ed25519 ${b64}`,
      `bob@example.test namespaces="git" ssh-ed25519 ${b64} bob's laptop`,
      `carol@example.test,*@ops.example.test namespaces="file,git" ssh-ed25519 ${b64}`,
      '',
      '# a comment',
    ]);
    expect(problems).toEqual([]);
    expect(signers.map((s) => [s.principals, s.namespaces])).toEqual([
      ['alice@example.test', null],
      ['bob@example.test', ['git']],
      ['carol@example.test,*@ops.example.test', ['file', 'git']],
    ]);
    expect(signers.every((s) => s.key.equals(key.publicKey))).toBe(true);
  });

  it('round-trips the line sil prints', () => {
    const line = allowedSignerLine('sil@localhost', key.publicKey);
    expect(line).toBe(`sil@localhost namespaces="git" ssh-ed25519 ${b64}`);
    expect(parseSignerLine(line)).toMatchObject({ principals: 'sil@localhost', namespaces: ['git'] });
  });

  it('reports lines it cannot trust, by index, without throwing', () => {
    const rsa = Buffer.concat([sshString('ssh-rsa'), sshString(Buffer.from([1, 0, 1])), sshString(Buffer.alloc(64, 1))]).toString('base64');
    const mismatched = Buffer.concat([sshString('ssh-ed25519'), sshString(Buffer.alloc(31))]).toString('base64');
    const { signers, problems } = parseAllowedSigners([
      `ok@example.test ssh-ed25519 ${b64}`,
      `rsa@example.test ssh-rsa ${rsa}`,
      `files@example.test namespaces="file" ssh-ed25519 ${b64}`,
      `ca@example.test cert-authority ssh-ed25519 ${b64}`,
      'just-an-email@example.test',
      `bad@example.test ssh-ed25519 !!!notbase64`,
      `short@example.test ssh-ed25519 ${mismatched}`,
      `odd@example.test frobnicate ssh-ed25519 ${b64}`,
    ]);
    expect(signers).toHaveLength(1);
    expect(problems.map((p) => [p.index, p.reason])).toEqual([
      [1, expect.stringMatching(/key type ssh-rsa is not supported \(sil verifies ssh-ed25519 keys only\)/)],
      [2, expect.stringMatching(/does not include git/)],
      [3, expect.stringMatching(/cert-authority is not supported/)],
      [4, expect.stringMatching(/expected `email/)],
      [5, expect.stringMatching(/not base64/)],
      [6, expect.stringMatching(/malformed ssh-ed25519 public key/)],
      [7, expect.stringMatching(/unknown option "frobnicate"/)],
    ]);
  });

  it('matches keys for the git namespace only where the line allows it', () => {
    const { signers } = parseAllowedSigners([`a@example.test namespaces="git" ssh-ed25519 ${b64}`]);
    expect(findSigner(signers, key.publicKey)?.principals).toBe('a@example.test');
    expect(findSigner(signers, key.publicKey, 'file')).toBeUndefined();
    expect(findSigner(signers, userKey().publicKey)).toBeUndefined();
  });

  it('matches ssh pattern lists: wildcards and negation', () => {
    expect(matchesPatternList(['g*'], 'git')).toBe(true);
    expect(matchesPatternList(['g?t'], 'git')).toBe(true);
    expect(matchesPatternList(['*', '!git'], 'git')).toBe(false);
    expect(matchesPatternList(['file'], 'git')).toBe(false);
    expect(matchesPatternList(['gi.'], 'git')).toBe(false);
  });
});
