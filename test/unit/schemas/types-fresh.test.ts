import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { generateTypes, TYPES_FILE } from '../../../scripts/gen-types.ts';

describe('generated types', () => {
  it('schemas/types.gen.ts matches the schemas (run `npm run gen:types` when this fails)', async () => {
    expect(readFileSync(TYPES_FILE, 'utf8')).toBe(await generateTypes());
  });
});
