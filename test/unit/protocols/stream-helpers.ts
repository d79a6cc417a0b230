// Helpers for the stream translator tests: feed a native stream in awkward pieces, read the
// OpenAI frames back, and assemble them the way an OpenAI client does.
import { expect } from 'vitest';
import type { OpenAIChatCompletionChunk, OpenAIErrorBody, OpenAIUsage, StreamTranslator } from '../../../server/protocols/types.ts';

export type Piece = string | Uint8Array;

/** The whole text; every `size` characters; byte by byte (multi-byte characters split). */
export const splits = {
  whole: (s: string): Piece[] => [s],
  chars: (size: number) => (s: string): Piece[] => Array.from({ length: Math.ceil(s.length / size) }, (_, i) => s.slice(i * size, (i + 1) * size)),
  bytes: (s: string): Piece[] => Array.from(new TextEncoder().encode(s), (b) => Uint8Array.of(b)),
};

export function feed(t: StreamTranslator, pieces: Piece[]): string[] {
  const frames: string[] = [];
  for (const p of pieces) frames.push(...t.push(p));
  frames.push(...t.end());
  return frames;
}

export type Frame = OpenAIChatCompletionChunk | OpenAIErrorBody | '[DONE]';

export function parseFrames(frames: string[]): Frame[] {
  return frames.map((f) => {
    expect(f).toMatch(/^data: .*\n\n$/s);
    const data = f.slice('data: '.length, -2);
    return data === '[DONE]' ? '[DONE]' : (JSON.parse(data) as Frame);
  });
}

export interface Assembled {
  id?: string;
  role?: string;
  content: string;
  toolCalls: { id?: string; name?: string; arguments: string; extra?: unknown }[];
  finish: string | null;
  usage?: OpenAIUsage;
  error?: OpenAIErrorBody['error'];
  done: boolean;
}

/** What an OpenAI client makes of the frames; checks the frame order rules on the way. */
export function assemble(frames: string[]): Assembled {
  const out: Assembled = { content: '', toolCalls: [], finish: null, done: false };
  for (const f of parseFrames(frames)) {
    expect(out.done).toBe(false);
    if (f === '[DONE]') {
      out.done = true;
      continue;
    }
    if ('error' in f) {
      out.error = f.error;
      continue;
    }
    expect(f.object).toBe('chat.completion.chunk');
    if (out.id) expect(f.id).toBe(out.id);
    out.id = f.id;
    if (f.choices.length === 0) {
      out.usage = f.usage ?? undefined;
      continue;
    }
    expect(out.finish).toBeNull();
    const c = f.choices[0];
    if (c.delta.role) out.role = c.delta.role;
    if (c.delta.content) out.content += c.delta.content;
    for (const d of c.delta.tool_calls ?? []) {
      const call = (out.toolCalls[d.index] ??= { arguments: '' });
      if (d.id) call.id = d.id;
      if (d.function?.name) call.name = d.function.name;
      if (d.function?.arguments) call.arguments += d.function.arguments;
      if (d.extra_content) call.extra = d.extra_content;
    }
    if (c.finish_reason) out.finish = c.finish_reason;
  }
  return out;
}
