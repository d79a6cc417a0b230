// docs/catalog.md ends with the table of every catalog template's auth contract test and proxy
// call (scripts/gen-catalog-proofs.ts): it must be in sync with the test files, and complete.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { CATALOG_DOC, catalogDoc, catalogProofs, testNames } from '../../../scripts/gen-catalog-proofs.ts';

describe('docs/catalog.md: every template proven', () => {
  it('reads the kinds of test names from a test file', () => {
    const names = testNames(`it('auth contract: bearer', …); it("via proxy: /bind/x", …); it('health check: GET /a', …); it('other', …)`);
    expect(names).toEqual({ 'auth contract': ['auth contract: bearer'], 'via proxy': ['via proxy: /bind/x'], 'health check': ['health check: GET /a'], usage: [] });
    expect(testNames(`it('usage: Stripe\\'s fees', …)`).usage).toEqual(["usage: Stripe's fees"]);
  });

  it('has an auth contract test, a call through the proxy and a health check test for each of the 41 templates', () => {
    const proofs = catalogProofs();
    expect(proofs).toHaveLength(41);
    const missing = proofs.filter((p) => p.auth.length === 0 || p.proxy.length === 0 || p.health.length === 0).map((p) => p.id);
    expect(missing).toEqual([]);
  });

  it('is in sync with the test files (node scripts/gen-catalog-proofs.ts)', () => {
    expect(readFileSync(CATALOG_DOC, 'utf8')).toBe(catalogDoc());
  });
});
