// What kind of body an answer's Content-Type announces, the one place these rules live: how the
// upstream client reads it (upstream-body.ts), whether it is relayed as SSE (pass-on.ts) and how
// usage is read from it (answer-meter.ts).
type Headers = Readonly<Record<string, string | string[] | undefined>>;

/** The Content-Type, lower case ('' when absent). */
export const contentTypeOf = (headers: Headers): string => String(headers['content-type'] ?? '').toLowerCase();

export const isSse = (type: string): boolean => type.includes('text/event-stream');

/** JSON records one after another (NDJSON, JSON Lines, JSON text sequences): a stream by nature. */
export const isJsonStream = (type: string): boolean => type.includes('ndjson') || type.includes('jsonl') || type.includes('json-seq');

/** One JSON document. */
export const isJsonDocument = (type: string): boolean => type.includes('json') && !isJsonStream(type);
