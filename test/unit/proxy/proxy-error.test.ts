import { describe, it, expect } from 'vitest';
import { unifiedMessage } from '../../../server/proxy/proxy-error.ts';
import { ERRORS } from '../../../server/errors.ts';

describe('unifiedMessage (the OpenAI-shaped error message of the unified door)', () => {
  it('keeps the message and the hint as two sentences', () => {
    expect(unifiedMessage('the body is not valid JSON', 'send one JSON document')).toBe('The body is not valid JSON. Hint: Send one JSON document.');
    expect(unifiedMessage('The request body is too large.', 'Send less, or raise `defaults.maxBodyBytes` in sil.yaml.')).toBe('The request body is too large. Hint: Send less, or raise `defaults.maxBodyBytes` in sil.yaml.');
  });

  it('leaves code at the start of a sentence as it is, and drops an empty hint', () => {
    expect(unifiedMessage('`model` must name a binding (or binding/model)', '')).toBe('`model` must name a binding (or binding/model).');
    expect(unifiedMessage('no client token', '  ')).toBe('No client token.');
  });

  it('reads as two sentences for every SIL_PROXY_* error of the catalog', () => {
    const proxyCodes = Object.keys(ERRORS).filter((c) => c.startsWith('SIL_PROXY_')) as (keyof typeof ERRORS)[];
    expect(proxyCodes.length).toBeGreaterThan(5);
    for (const code of proxyCodes) {
      const text = unifiedMessage(ERRORS[code].message, ERRORS[code].hint);
      expect(text, code).toMatch(/^[A-Z][^]*[.!?] Hint: [A-Z`/][^]*[.!?]$/);
      expect(text, code).not.toMatch(/[^.]\.\.(\s|$)|\bsee the message\b/i);
    }
  });
});
