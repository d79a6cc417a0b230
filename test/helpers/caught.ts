// The SilError a promise rejects with (the test fails if it resolves or throws something else).
import { expect } from 'vitest';
import { SilError } from '../../server/errors.ts';

export async function caught(p: Promise<unknown>): Promise<SilError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(SilError);
    return err as SilError;
  }
  throw new Error('expected an error');
}
