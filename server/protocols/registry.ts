// The adapter for a service protocol an openai-chat binding is served from. null means no
// translation: openai-chat itself (the caller's JSON goes through with `model` replaced), or a
// protocol compatibility.ts lists that has no adapter yet (cohere-chat, bedrock-converse).
import { anthropicAdapter } from './anthropic.ts';
import { geminiAdapter } from './gemini.ts';
import type { ProtocolAdapter } from './types.ts';

const ADAPTERS: ReadonlyMap<string, ProtocolAdapter> = new Map([
  [anthropicAdapter.protocol, anthropicAdapter],
  [geminiAdapter.protocol, geminiAdapter],
]);

export function adapterFor(protocol: string): ProtocolAdapter | null {
  return ADAPTERS.get(protocol) ?? null;
}

/** The protocols an adapter exists for. */
export const ADAPTER_PROTOCOLS: readonly string[] = Object.freeze([...ADAPTERS.keys()]);
