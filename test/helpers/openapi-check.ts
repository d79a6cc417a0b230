// Checks admin API answers against the components of /api/openapi.json (Ajv, JSON Schema 2020-12):
// one validator per document, `check(name, body)` fails the test with Ajv's errors.
import { expect } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

export function openApiChecker(doc: Record<string, unknown>): (schema: string, body: unknown) => void {
  const ajv = new Ajv2020({ strict: false, allErrors: true, discriminator: true });
  (addFormatsModule as unknown as (a: Ajv2020) => void)(ajv);
  ajv.addSchema({ ...doc, $id: 'https://sil.test/openapi.json' });
  return (schema, body) => {
    const validate = ajv.getSchema(`https://sil.test/openapi.json#/components/schemas/${schema}`);
    expect(validate, `no component ${schema} in openapi.json`).toBeDefined();
    expect(validate!(body), `${schema}: ${JSON.stringify(validate!.errors)}`).toBe(true);
  };
}
