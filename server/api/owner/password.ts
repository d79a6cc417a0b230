// The owner's password: Argon2id (hash-wasm), stored as a PHC string
// `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`, parameters per the OWASP password storage
// cheat sheet (19 MiB, 2 passes, 1 lane), 16-byte random salt, 32-byte hash.
//
// Verification recomputes the hash with the parameters of the stored string and compares the
// bytes with timingSafeEqual (hash-wasm's argon2Verify compares strings, which is not
// constant-time). Passwords are NFC-normalised, so the same passphrase typed on two systems
// that compose accents differently is the same password.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { argon2id } from 'hash-wasm';
import { SilError } from '../../errors.ts';

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 1024;

export interface Argon2Params {
  /** Memory in KiB. */
  m: number;
  /** Passes. */
  t: number;
  /** Lanes. */
  p: number;
}

export const ARGON2_PARAMS: Readonly<Argon2Params> = Object.freeze({ m: 19_456, t: 2, p: 1 });
const HASH_BYTES = 32;
const SALT_BYTES = 16;
/** Upper bounds for parameters read from a stored hash (a tampered file must not exhaust memory). */
const LIMITS = { m: 1_048_576, t: 16, p: 8 };

/** Why a new password is refused, or undefined when it is acceptable. */
export function passwordProblem(password: unknown): string | undefined {
  if (typeof password !== 'string') return 'the password must be a string';
  const n = [...password.normalize('NFC')].length;
  if (n < PASSWORD_MIN) return `the password has ${n} characters; at least ${PASSWORD_MIN} are needed`;
  if (n > PASSWORD_MAX) return `the password has ${n} characters; at most ${PASSWORD_MAX} are accepted`;
  if (password.trim() === '') return 'the password is only white space';
  return undefined;
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64').replace(/=+$/, '');

async function rawHash(password: string, salt: Uint8Array, params: Argon2Params, length: number): Promise<Uint8Array> {
  return argon2id({
    password: password.normalize('NFC'),
    salt,
    iterations: params.t,
    parallelism: params.p,
    memorySize: params.m,
    hashLength: length,
    outputType: 'binary',
  });
}

/** Hashes a new password (after checking it) into a PHC string. */
export async function hashPassword(password: string, params: Argon2Params = ARGON2_PARAMS): Promise<string> {
  const problem = passwordProblem(password);
  if (problem) throw new SilError('SIL_PASSWORD_WEAK', problem);
  const salt = randomBytes(SALT_BYTES);
  const hash = await rawHash(password, salt, params, HASH_BYTES);
  return `$argon2id$v=19$m=${params.m},t=${params.t},p=${params.p}$${b64(salt)}$${b64(hash)}`;
}

interface ParsedHash { params: Argon2Params; salt: Buffer; hash: Buffer }

/** Reads a PHC string this module wrote; undefined when it is not one. */
export function parsePasswordHash(encoded: string): ParsedHash | undefined {
  const m = /^\$argon2id\$v=19\$m=(\d{1,8}),t=(\d{1,3}),p=(\d{1,2})\$([A-Za-z0-9+/]{11,})\$([A-Za-z0-9+/]{22,})$/.exec(encoded);
  if (!m) return undefined;
  const params = { m: Number(m[1]), t: Number(m[2]), p: Number(m[3]) };
  if (params.m < 8 * params.p || params.m > LIMITS.m || params.t < 1 || params.t > LIMITS.t || params.p < 1 || params.p > LIMITS.p) return undefined;
  return { params, salt: Buffer.from(m[4], 'base64'), hash: Buffer.from(m[5], 'base64') };
}

/**
 * True when `password` matches the stored PHC string. Constant-time in the comparison; a
 * malformed stored hash or a non-string password is false (after the same work, so that the
 * answer time says nothing about which).
 */
export async function verifyPassword(password: unknown, encoded: string): Promise<boolean> {
  const parsed = parsePasswordHash(encoded);
  const usable = typeof password === 'string' && password !== '' && password.length <= PASSWORD_MAX * 4;
  // Argon2 refuses an empty password: hash a stand-in, so that the work is the same.
  const candidate = usable ? password : '\0';
  const params = parsed?.params ?? ARGON2_PARAMS;
  const salt = parsed?.salt ?? Buffer.alloc(SALT_BYTES);
  const expected = parsed?.hash ?? Buffer.alloc(HASH_BYTES);
  const actual = await rawHash(candidate, salt, params, expected.length);
  const same = timingSafeEqual(Buffer.from(actual), expected);
  return same && parsed !== undefined && usable;
}

/** The stored hash uses weaker parameters than today's: rehash on the next successful login. */
export function needsRehash(encoded: string, params: Argon2Params = ARGON2_PARAMS): boolean {
  const parsed = parsePasswordHash(encoded);
  return !parsed || parsed.params.m < params.m || parsed.params.t < params.t;
}
