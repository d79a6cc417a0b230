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

/** The SilError a function throws (the test fails if it returns or throws something else). */
export function caughtSync(fn: () => unknown): SilError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SilError);
    return err as SilError;
  }
  throw new Error('expected an error');
}
