// The real `age` command-line tool, as a second, independent age implementation.
// CI installs it with `apt-get install -y age`; tests skip the CLI checks without it.
import { execFileSync } from 'node:child_process';

/** Path of the `age` binary, or null when it is not installed. */
export function ensureAgeCli(): string | null {
  try {
    const path = execFileSync('which', ['age'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return path || null;
  } catch {
    return null;
  }
}

/** `age --decrypt -i identityFile` with the armored age file on stdin; returns the plaintext. */
export function ageDecryptArmored(armored: string, identityFile: string): Buffer {
  return execFileSync(ensureAgeCli() ?? 'age', ['--decrypt', '-i', identityFile], {
    input: armored,
    stdio: ['pipe', 'pipe', 'pipe'],
    timeout: 30_000,
  });
}
