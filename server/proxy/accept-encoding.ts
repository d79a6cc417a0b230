// The Accept-Encoding a provider is sent. The caller's, as it is — except when the hub must read
// the answer's body for usage: then narrowed to gzip (and identity), the encoding the hub reads at
// the least cost (gzip answers of one event-loop turn are decoded together; a brotli answer costs
// a decoder of its own). The caller still gets an encoding it accepts, as the provider sent it.
const MAX_REMEMBERED = 64;
const narrowed = new Map<string, string | undefined>();

function narrow(value: string): string | undefined {
  const kept: string[] = [];
  for (const part of value.split(',')) {
    const [name, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const refused = params.some((p) => /^q=0(\.0*)?$/.test(p));
    if (refused) continue;
    if (name === 'gzip' || name === 'x-gzip' || name === 'identity') kept.push(part.trim());
    else if (name === '*') kept.push('gzip');
  }
  return kept.length ? kept.join(', ') : undefined;
}

/** What to send as Accept-Encoding (undefined: none, so the provider answers plain). */
export function upstreamAcceptEncoding(caller: string | undefined, readsBody: boolean): string | undefined {
  if (!caller || !readsBody) return caller;
  if (narrowed.has(caller)) return narrowed.get(caller);
  const out = narrow(caller);
  if (narrowed.size < MAX_REMEMBERED) narrowed.set(caller, out);
  return out;
}
