import { describe, it, expect } from 'vitest';
import { bootstrapAdvice } from '../../../server/remote/bootstrap-advice.ts';

const base = { url: '/srv/config.git', branch: 'main', dataDir: '/var/lib/sil-b', recipient: 'age1new', signerLine: 'sil@localhost namespaces="git" ssh-ed25519 AAAAnew', sopsText: 'creation_rules:\n  - age: age1old\n' };

describe('what is left after sil init --from', () => {
  it('asks to share the age identity or add the new recipient, and for the trigger', () => {
    const text = bootstrapAdvice({ ...base, settingsText: 'version: 1\nremote: { url: /srv/config.git }\n' }).join('\n');
    expect(text).toContain('sil recipients add age1new');
    expect(text).toContain('/var/lib/sil-b/keys/age.key');
    expect(text).toContain('SIL_SYNC_SECRET');
    expect(text).not.toContain('allowedSigners');
    expect(text).not.toContain('no `remote:` block');
  });

  it('names the signing key line when commits must be signed, and a missing remote: block', () => {
    const text = bootstrapAdvice({ ...base, settingsText: 'version: 1\nsecurity: { requireSignedCommits: true }\n' }).join('\n');
    expect(text).toContain('AAAAnew');
    expect(text).toContain('sil signing allow');
    expect(text).toContain('no `remote:` block');
  });

  it('says nothing about the vault when the identity is shared already, and tells a different remote URL', () => {
    const text = bootstrapAdvice({ ...base, sopsText: 'creation_rules:\n  - age: age1new\n', settingsText: 'version: 1\nremote: { url: https://git.example.com/c.git }\n' }).join('\n');
    expect(text).not.toContain('recipients add');
    expect(text).toContain('follows https://git.example.com/c.git');
  });
});
