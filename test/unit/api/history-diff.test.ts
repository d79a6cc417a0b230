// Pure helpers of the history and import preview: unified diffs, masking secrets diffs,
// parsing raw commits.
import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unifiedDiff } from '../../../server/api/admin/line-diff.ts';
import { clearSecretDetector, maskClearSecrets, redactSecretsDiff } from '../../../server/api/admin/diff-redact.ts';
import { projectCatalog } from '../../../server/config/catalog.ts';
import { checkCommitId, parseCommit } from '../../../server/api/admin/history-log.ts';
import { caughtSync } from '../../helpers/caught.ts';
import { tempDir } from '../../helpers/tmp.ts';

const ENC = 'ENC[AES256_GCM,data:abcd,iv:MTIz,tag:MTIz,type:str]';
const KEY = `sk-proj-${'Q'.repeat(40)}`;

describe('unifiedDiff', () => {
  it('writes git-style hunks with three lines of context', () => {
    const a = 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\n';
    expect(unifiedDiff('x.yaml', a, a.replace('b\n', 'B\n').replace('k\n', 'K\n'))).toBe(
      '--- a/x.yaml\n+++ b/x.yaml\n@@ -1,5 +1,5 @@\n a\n-b\n+B\n c\n d\n e\n@@ -8,4 +8,4 @@\n h\n i\n j\n-k\n+K\n',
    );
    expect(unifiedDiff('x.yaml', null, 'a\nb')).toBe('--- /dev/null\n+++ b/x.yaml\n@@ -0,0 +1,2 @@\n+a\n+b\n\\ No newline at end of file\n');
    expect(unifiedDiff('x.yaml', 'a\n', null)).toBe('--- a/x.yaml\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-a\n');
    expect(unifiedDiff('x.yaml', 'same\n', 'same\n')).toBe('');
  });

  it('produces patches that `patch` applies, for random edits', () => {
    const tmp = tempDir();
    try {
      let seed = 7;
      const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
      const gen = () => Array.from({ length: rand(25) }, () => 'abcde'[rand(5)]).join('\n') + (rand(2) ? '\n' : '');
      for (let t = 0; t < 60; t++) {
        const [a, b] = [gen(), gen()];
        const d = unifiedDiff('f', a, b);
        if (a === b) continue;
        writeFileSync(join(tmp.path, 'a'), a);
        writeFileSync(join(tmp.path, 'p'), d);
        execFileSync('patch', ['-s', '-o', join(tmp.path, 'out'), join(tmp.path, 'a'), join(tmp.path, 'p')]);
        expect(readFileSync(join(tmp.path, 'out'), 'utf8')).toBe(b);
      }
    } finally {
      tmp.cleanup();
    }
  });

  it('shows the whole file replaced past maxEdits', () => {
    const d = unifiedDiff('f', 'a\nb\n', 'c\nd\n', { maxEdits: 1 });
    expect(d).toContain('-a\n-b\n+c\n+d\n');
  });
});

describe('redactSecretsDiff', () => {
  it('keeps metadata and ciphertext, masks values in clear', () => {
    const diff = [
      'diff --git a/secrets/x.yaml b/secrets/x.yaml',
      '--- a/secrets/x.yaml',
      '+++ b/secrets/x.yaml',
      '@@ -1,6 +1,12 @@',
      ' keys:',
      '   - id: primary',
      '+    status: active',
      '+    fingerprint: "sha256:abcdef...wxyz"',
      '+    secret:',
      `+      apiKey: ${ENC}`,
      `+      other: ${KEY}`,
      `+      - ${KEY}`,
      `+      ${KEY}`,
      ' sops:',
      '     age:',
      '         - recipient: age1abc',
      '           enc: |',
      '+            -----BEGIN AGE ENCRYPTED FILE-----',
      '+            YWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IFgyNTUxOSBhYmMK',
      '+            -----END AGE ENCRYPTED FILE-----',
      `+    mac: ${ENC}`,
      `+  "apiKey": "${ENC}",`,
      `+  "apiKey": "${KEY}",`,
    ].join('\n');
    const out = redactSecretsDiff(diff);
    expect(out).not.toContain(KEY);
    expect(out).toContain(`+      apiKey: ${ENC}`);
    expect(out).toContain("+      other: '[redacted: not encrypted]'");
    expect(out).toContain('+            YWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IFgyNTUxOSBhYmMK');
    expect(out).toContain('+    fingerprint: "sha256:abcdef...wxyz"');
    expect(out).toContain(`+  "apiKey": "${ENC}",`);
    expect(out.split('\n')).toHaveLength(diff.split('\n').length);
  });
});

describe('maskClearSecrets', () => {
  it('masks lines holding something that looks like a provider key, in any file', () => {
    const looksSecret = clearSecretDetector(projectCatalog().catalog);
    const stripe = `sk_live_${'4'.repeat(24)}`;
    const diff = `--- a/providers/x.yaml\n+++ b/providers/x.yaml\n@@ -1,2 +1,4 @@\n name: x\n+apiKey: ${KEY}\n+note: "use ${stripe} here"\n+baseUrl: https://api.example.com/v1/very/long/path\n`;
    const out = maskClearSecrets(diff, looksSecret);
    expect(out).not.toContain(KEY);
    expect(out).not.toContain(stripe);
    expect(out).toContain('+# [redacted: looks like a key in clear]\n+# [redacted');
    expect(out).toContain('+baseUrl: https://api.example.com/v1/very/long/path');
    expect(out).toContain(' name: x');
  });
});

describe('commits', () => {
  it('checks ids: 40 lowercase hex digits, nothing else', () => {
    expect(checkCommitId('a'.repeat(40))).toBe('a'.repeat(40));
    for (const bad of ['HEAD', 'main', 'a'.repeat(39), 'A'.repeat(40), `${'a'.repeat(40)}^`, '--output=x', 42]) {
      expect(caughtSync(() => checkCommitId(bad)).code).toBe('SIL_HISTORY_COMMIT_ID');
    }
  });

  it('parses a raw commit: parents, people, message, signature header', () => {
    const raw = `tree ${'1'.repeat(40)}\nparent ${'2'.repeat(40)}\nparent ${'3'.repeat(40)}\nauthor Ann Owner <ann@example.test> 1700000000 +0200\ncommitter sil <sil@localhost> 1700000060 +0000\ngpgsig -----BEGIN SSH SIGNATURE-----\n U1NIU0lH\n -----END SSH SIGNATURE-----\n\nkeys: add openai-main/primary\n\nbody\n`;
    const c = parseCommit('f'.repeat(40), Buffer.from(raw));
    expect(c.parents).toEqual(['2'.repeat(40), '3'.repeat(40)]);
    expect(c.author).toEqual({ name: 'Ann Owner', email: 'ann@example.test', date: '2023-11-14T22:13:20.000Z', timezone: '+0200' });
    expect(c.committer.name).toBe('sil');
    expect(c.subject).toBe('keys: add openai-main/primary');
    expect(c.message).toBe('keys: add openai-main/primary\n\nbody\n');
    expect(c.signed).toBe(true);
  });
});
