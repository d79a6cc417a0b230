// Gzip bodies decoded together, once per turn of the event loop: one zlib object for all the
// compressed answers that arrived in it, instead of one each (a zlib object costs more to make
// and free than a small answer costs to inflate). Gzip allows members to follow one another and
// each member ends with its uncompressed size (ISIZE), which splits the output again. When the
// sizes do not add up (a body of several members, a corrupt one) every body is decoded alone.
import { gunzipSync } from 'node:zlib';

interface Pending { bytes: Buffer; done: (out: Buffer | undefined) => void }

/** The smallest gzip member: 10 bytes of header, an empty deflate block, 8 bytes of trailer. */
const MIN_MEMBER = 20;

export class GzipBatch {
  #pending: Pending[] = [];
  #scheduled = false;
  readonly #maxOutput: number;

  /** `maxOutput`: the most one body may decode to (larger ones answer undefined). */
  constructor(maxOutput: number) {
    this.#maxOutput = maxOutput;
  }

  decode(bytes: Buffer): Promise<Buffer | undefined> {
    return new Promise((done) => {
      this.#pending.push({ bytes, done });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Decodes what is pending now (called by the timer; public for tests). */
  flush(): void {
    this.#scheduled = false;
    const batch = this.#pending;
    this.#pending = [];
    if (batch.length > 1 && this.#together(batch)) return;
    for (const p of batch) p.done(this.#alone(p.bytes));
  }

  #alone(bytes: Buffer): Buffer | undefined {
    try {
      return gunzipSync(bytes, { maxOutputLength: this.#maxOutput });
    } catch {
      return undefined;
    }
  }

  #together(batch: Pending[]): boolean {
    let total = 0;
    const sizes: number[] = [];
    for (const { bytes } of batch) {
      if (bytes.length < MIN_MEMBER) return false;
      const size = bytes.readUInt32LE(bytes.length - 4);
      if (size > this.#maxOutput) return false;
      sizes.push(size);
      total += size;
    }
    let out: Buffer;
    try {
      out = gunzipSync(Buffer.concat(batch.map((p) => p.bytes)), { maxOutputLength: total + 1 });
    } catch {
      return false;
    }
    if (out.length !== total) return false;
    let at = 0;
    for (let i = 0; i < batch.length; i++) {
      batch[i].done(out.subarray(at, at + sizes[i]));
      at += sizes[i];
    }
    return true;
  }
}
