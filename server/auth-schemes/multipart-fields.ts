// Sets text fields in a multipart/form-data body without parsing it into memory objects: the
// caller's parts are kept byte for byte (files included), text parts of the same names are
// dropped, and the new fields are added before the closing delimiter. Synchronous, so the body
// auth scheme can merge a credential into an upload (Uploadcare's Upload API takes the public key
// as the UPLOADCARE_PUB_KEY form field of a multipart POST). Pure.

/** The boundary of a multipart Content-Type, or undefined. */
export function multipartBoundary(contentType: string): string | undefined {
  const m = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;"]{1,70}))/i.exec(contentType);
  return m ? (m[1] ?? m[2]) : undefined;
}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

/** A part's form field name and whether it is a file, from its Content-Disposition header. */
function disposition(headerBlock: string): { name?: string; file: boolean } {
  const line = headerBlock.split('\r\n').find((l) => /^content-disposition\s*:/i.test(l));
  if (!line) return { file: false };
  const name = /;\s*name="([^"]*)"/i.exec(line)?.[1] ?? /;\s*name=([^;\s]+)/i.exec(line)?.[1];
  return { ...(name !== undefined ? { name } : {}), file: /;\s*filename\*?=/i.test(line) };
}

/** `name` as the HTML form encoding writes it inside a quoted Content-Disposition parameter. */
function quoteName(name: string): string {
  return name.replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/"/g, '%22');
}

/**
 * `body` with each of `fields` set as a text part (value '' removes the field). Throws an Error
 * saying why when the body is not well-formed multipart with that boundary, or a value holds
 * the delimiter.
 */
export function setMultipartFields(body: Uint8Array, boundary: string, fields: readonly (readonly [string, string])[]): Uint8Array {
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const delimiter = Buffer.from(`--${boundary}`);
  const names = new Set(fields.map(([n]) => n));
  const kept: Buffer[] = [];
  let at: number;
  if (bytes.length === 0) at = -1;
  else {
    at = bytes.subarray(0, delimiter.length).equals(delimiter) ? 0 : bytes.indexOf(Buffer.concat([CRLF, delimiter]));
    if (at < 0) throw new Error('the multipart body has no part with its boundary');
    if (at > 0) at += CRLF.length; // a preamble is dropped, as readers ignore it
  }
  let closed = at < 0;
  while (at >= 0) {
    const afterDelimiter = at + delimiter.length;
    if (bytes.subarray(afterDelimiter, afterDelimiter + 2).toString('latin1') === '--') {
      closed = true;
      break;
    }
    const headersStart = afterDelimiter + CRLF.length;
    const next = bytes.indexOf(Buffer.concat([CRLF, delimiter]), headersStart);
    if (next < 0) throw new Error('the multipart body is not closed');
    const headersEnd = bytes.indexOf(HEADER_END, headersStart);
    const block = headersEnd >= 0 && headersEnd <= next ? bytes.toString('latin1', headersStart, headersEnd) : '';
    const { name, file } = disposition(block);
    if (name === undefined || file || !names.has(name)) kept.push(bytes.subarray(at, next + CRLF.length));
    at = next + CRLF.length;
  }
  if (!closed) throw new Error('the multipart body is not closed');
  const added: Buffer[] = [];
  for (const [name, value] of fields) {
    if (value === '') continue;
    if (value.includes(`--${boundary}`)) throw new Error(`the value of field "${name}" holds the multipart boundary`);
    added.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${quoteName(name)}"\r\n\r\n${value}\r\n`, 'utf8'));
  }
  return new Uint8Array(Buffer.concat([...kept, ...added, Buffer.from(`--${boundary}--\r\n`)]));
}
