// The soak's traffic: a fixed mix of non-streamed chat, streamed chat and a /bind pass-through
// call, and how each answer is judged. Pure.
import type { Outcome } from './stats.ts';

export type RequestKind = 'chat' | 'stream' | 'bind';

/** Of every 20 requests: 10 chat, 7 streamed chat, 3 /bind. */
export function kindOf(n: number): RequestKind {
  const slot = n % 20;
  return slot < 10 ? 'chat' : slot < 17 ? 'stream' : 'bind';
}

export interface RequestSpec { method: 'GET' | 'POST'; path: string; body?: string }

export function requestSpec(kind: RequestKind): RequestSpec {
  const messages = [{ role: 'user', content: 'Say hello to the soak.' }];
  if (kind === 'bind') return { method: 'GET', path: '/bind/raw/models' };
  if (kind === 'stream') return { method: 'POST', path: '/v1/chat/completions', body: JSON.stringify({ model: 'chat', messages, stream: true, stream_options: { include_usage: true } }) };
  return { method: 'POST', path: '/v1/chat/completions', body: JSON.stringify({ model: 'chat', messages }) };
}

export interface Judged { outcome: Outcome; reason?: string }

/** An answer read to its end: ok only when it is 2xx and whole (a stream must end with [DONE] and carry no error event). */
export function judge(kind: RequestKind, status: number, text: string): Judged {
  if (status < 200 || status > 299) return { outcome: 'error', reason: `${kind} ${status}${errorCode(text)}` };
  if (kind === 'stream') {
    if (/^event: error$/m.test(text) || /"error"\s*:/.test(text)) return { outcome: 'lost', reason: 'stream ended with an error event' };
    if (!text.trimEnd().endsWith('data: [DONE]')) return { outcome: 'lost', reason: 'stream cut (no [DONE])' };
    return { outcome: 'ok' };
  }
  try {
    const body = JSON.parse(text) as { choices?: unknown[]; data?: unknown[] };
    const whole = kind === 'bind' ? Array.isArray(body.data) : Array.isArray(body.choices) && body.choices.length > 0;
    return whole ? { outcome: 'ok' } : { outcome: 'lost', reason: `${kind} 2xx without ${kind === 'bind' ? 'data' : 'choices'}` };
  } catch {
    return { outcome: 'lost', reason: `${kind} 2xx body cut or not JSON` };
  }
}

/** " SIL_..." when the body is sil's error shape. */
function errorCode(text: string): string {
  const m = /"code"\s*:\s*"(SIL_[A-Z_]+)"/.exec(text);
  return m ? ` ${m[1]}` : '';
}

/** A request that got no answer: the error's cause in a few words. */
export function lostReason(kind: RequestKind, err: unknown, phase: 'answer' | 'body'): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `${kind} timed out (${phase})`;
  const code = e?.cause?.code ?? e?.cause?.message ?? e?.message ?? 'error';
  return phase === 'body' ? `${kind} body cut (${code})` : `${kind} no answer (${code})`;
}
