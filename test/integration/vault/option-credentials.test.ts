// A key must carry the credentials of the auth option its provider uses: Twilio's api-key option
// needs the SK sid and secret, not the account's auth token (which only its default auth needs).
import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { makeTestDataDir } from '../../helpers/test-data-dir.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { caught } from '../../helpers/caught.ts';

const SID = `AC${'0'.repeat(32)}`;
const twilio = (option: string) => `id: twilio\nname: Twilio\nenvironment: prod\ntemplate: twilio\nconnection: { accountSid: ${SID} }\n${option}`;
const apiKey = { apiKeySid: `SK${'1'.repeat(32)}`, apiKeySecret: 'secret-1' };

describe('credentials required by the auth option', () => {
  it('stores an api-key option key without the auth token', async () => {
    const tmp = tempDir('sil-option-creds-');
    try {
      await expect(makeTestDataDir(join(tmp.path, 'data'), { 'providers/twilio.yaml': twilio('authOption: api-key\n') }, { twilio: apiKey })).resolves.toBeDefined();
    } finally {
      tmp.cleanup();
    }
  });

  it('refuses the same key for the default auth, naming the missing auth token', async () => {
    const tmp = tempDir('sil-option-creds-');
    try {
      const err = await caught(makeTestDataDir(join(tmp.path, 'data'), { 'providers/twilio.yaml': twilio('') }, { twilio: apiKey }));
      expect(err.code).toBe('SIL_CONFIG_INVALID');
      expect(JSON.stringify(err.details)).toMatch(/key \\"[^"\\]+\\" lacks the credential \\"authToken\\"/);
    } finally {
      tmp.cleanup();
    }
  });
});
