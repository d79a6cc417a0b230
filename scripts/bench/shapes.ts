// The upstream answer shapes bench:proxy drives, each served by the mock under its own path
// prefix (`/<shape>/v1/chat/completions`), so that sil, Portkey and the direct path meet the
// same upstream. Pure data: the mock builds its answers from it, the bench its requests.
export interface Shape {
  name: string;
  /** One line for the report. */
  what: string;
  /** How the mock frames the whole answer (ignored for `sse`). */
  framing: 'length' | 'chunked';
  encoding?: 'gzip' | 'br';
  /** Size of the assistant's text in the answer (bytes). */
  contentBytes: number;
  /** The caller asks for a stream and the mock answers with SSE events. */
  sse?: boolean;
}

export const SHAPES: readonly Shape[] = [
  { name: 'length', what: 'JSON with Content-Length', framing: 'length', contentBytes: 20 },
  { name: 'chunked', what: 'JSON, Transfer-Encoding: chunked, no Content-Length (res.writeHead + res.end)', framing: 'chunked', contentBytes: 20 },
  { name: 'gzip', what: 'JSON, Content-Encoding: gzip, chunked', framing: 'chunked', encoding: 'gzip', contentBytes: 20 },
  { name: 'br', what: 'JSON, Content-Encoding: br, chunked', framing: 'chunked', encoding: 'br', contentBytes: 20 },
  { name: 'large', what: 'JSON of 1 MB, chunked', framing: 'chunked', contentBytes: 1024 * 1024 },
  { name: 'sse', what: 'SSE stream: 12 events with usage, written one by one', framing: 'chunked', contentBytes: 20, sse: true },
];

/** What `--upstream` runs when it is not given. */
export const DEFAULT_SHAPES = ['length', 'chunked', 'gzip', 'sse'];

export function shapesOf(list: string): Shape[] {
  const names = list.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !SHAPES.some((s) => s.name === n));
  if (unknown.length) throw new Error(`--upstream: unknown shape ${unknown.map((n) => `"${n}"`).join(', ')}; choose from ${SHAPES.map((s) => s.name).join(', ')} (comma-separated)`);
  return names.map((n) => SHAPES.find((s) => s.name === n)!);
}

/** The request body a caller sends for this shape (`model` is the binding or the model). */
export function requestBody(shape: Shape, model: string): string {
  return JSON.stringify({ model, messages: [{ role: 'user', content: 'Say hello.' }], ...(shape.sse ? { stream: true, stream_options: { include_usage: true } } : {}) });
}

/** Headers a real client sends besides its credentials: it accepts compressed answers. */
export const CALLER_HEADERS: Readonly<Record<string, string>> = { 'content-type': 'application/json', 'accept-encoding': 'gzip, br' };

/** Usage the mock reports on every answer (the bench checks sil recorded it). */
export const USAGE = { prompt_tokens: 9, completion_tokens: 5, total_tokens: 14 };
