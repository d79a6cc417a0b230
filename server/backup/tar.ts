// A minimal POSIX ustar writer and reader for the backup archive: regular files only, built and
// read in memory (so no plaintext key ever touches the disk on the way into the age encryption).
// Standard tools read what it writes: `age -d -i KEY backup.age | tar -tv`.

const BLOCK = 512;

export interface TarEntry {
  path: string;
  data: Uint8Array;
  /** Permission bits, e.g. 0o600. */
  mode: number;
  /** Seconds since the epoch. */
  mtime: number;
}

export class TarError extends Error {}

function writeString(header: Uint8Array, offset: number, length: number, value: string): void {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length > length) throw new TarError(`"${value}" is longer than ${length} bytes`);
  header.set(bytes, offset);
}

/** An octal field: digits, zero-padded, then NUL. */
function writeOctal(header: Uint8Array, offset: number, length: number, value: number): void {
  writeString(header, offset, length, `${value.toString(8).padStart(length - 1, '0')}\0`);
}

function checksum(header: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i];
  return sum;
}

function headerOf(entry: TarEntry): Uint8Array {
  if (!entry.path || entry.path.startsWith('/') || entry.path.split('/').includes('..')) throw new TarError(`unsafe path "${entry.path}"`);
  const h = new Uint8Array(BLOCK);
  writeString(h, 0, 100, entry.path);
  writeOctal(h, 100, 8, entry.mode & 0o7777);
  writeOctal(h, 108, 8, 0);
  writeOctal(h, 116, 8, 0);
  writeOctal(h, 124, 12, entry.data.length);
  writeOctal(h, 136, 12, Math.max(0, Math.floor(entry.mtime)));
  h[156] = 0x30; // '0': a regular file
  writeString(h, 257, 6, 'ustar\0');
  writeString(h, 263, 2, '00');
  writeString(h, 148, 8, `${checksum(h).toString(8).padStart(6, '0')}\0 `);
  return h;
}

export function packTar(entries: readonly TarEntry[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const e of entries) {
    parts.push(headerOf(e), e.data);
    const pad = (BLOCK - (e.data.length % BLOCK)) % BLOCK;
    if (pad) parts.push(new Uint8Array(pad));
  }
  parts.push(new Uint8Array(BLOCK * 2));
  return Buffer.concat(parts);
}

function readString(block: Uint8Array, offset: number, length: number): string {
  const field = block.subarray(offset, offset + length);
  const end = field.indexOf(0);
  return Buffer.from(end < 0 ? field : field.subarray(0, end)).toString('utf8');
}

function readOctal(block: Uint8Array, offset: number, length: number): number {
  const text = readString(block, offset, length).trim();
  if (!/^[0-7]*$/.test(text)) throw new TarError(`bad number field at byte ${offset}`);
  return text ? parseInt(text, 8) : 0;
}

/** The regular files of a ustar archive; throws TarError on anything else or a damaged header. */
export function unpackTar(archive: Uint8Array): TarEntry[] {
  const entries: TarEntry[] = [];
  let at = 0;
  while (at + BLOCK <= archive.length) {
    const block = archive.subarray(at, at + BLOCK);
    if (block.every((b) => b === 0)) return entries;
    if (readOctal(block, 148, 8) !== checksum(block)) throw new TarError(`header checksum mismatch at byte ${at}`);
    const type = String.fromCharCode(block[156]);
    const prefix = readString(block, 345, 155);
    const name = readString(block, 0, 100);
    const path = prefix ? `${prefix}/${name}` : name;
    if (type !== '0' && type !== '\0') throw new TarError(`"${path}" is not a regular file (type ${JSON.stringify(type)})`);
    const size = readOctal(block, 124, 12);
    const start = at + BLOCK;
    if (start + size > archive.length) throw new TarError(`"${path}" is cut short`);
    entries.push({ path, data: archive.slice(start, start + size), mode: readOctal(block, 100, 8), mtime: readOctal(block, 136, 12) });
    at = start + Math.ceil(size / BLOCK) * BLOCK;
  }
  throw new TarError('the archive ends without its end-of-archive blocks');
}
