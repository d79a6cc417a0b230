// SIL_USAGE_FLUSH_MS: the usage store's flush interval from the environment (hubOptions).
import { describe, it, expect } from 'vitest';
import { hubOptions } from '../../../../server/main.ts';
import { SilError } from '../../../../server/errors.ts';

describe('SIL_USAGE_FLUSH_MS', () => {
  it('sets usageFlushMs; unset or empty leaves the default', () => {
    expect(hubOptions({}, { SIL_USAGE_FLUSH_MS: '250' }).usageFlushMs).toBe(250);
    expect(hubOptions({}, {}).usageFlushMs).toBeUndefined();
    expect(hubOptions({}, { SIL_USAGE_FLUSH_MS: '' }).usageFlushMs).toBeUndefined();
  });

  it('refuses what is not a whole number of milliseconds from 100 to 3600000, saying what to give', () => {
    for (const bad of ['5s', '-1', '99', '3600001', '1.5']) {
      let err: unknown;
      try {
        hubOptions({}, { SIL_USAGE_FLUSH_MS: bad });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(SilError);
      expect((err as SilError).message).toContain(`invalid SIL_USAGE_FLUSH_MS "${bad}"`);
    }
  });
});
