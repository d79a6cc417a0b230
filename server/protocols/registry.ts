// The adapter for a service protocol an openai-chat binding is served from: Anthropic Messages,
// Gemini generateContent, Cohere v2 chat, Bedrock Converse. null means no translation: openai-chat
// itself (the caller's JSON goes through with `model` replaced).
import { anthropicAdapter } from './anthropic.ts';
import { cohereAdapter } from './cohere.ts';
import { bedrockAdapter } from './bedrock.ts';
import { geminiAdapter } from './gemini.ts';
import type { ProtocolAdapter } from './types.ts';

const ADAPTERS: ReadonlyMap<string, ProtocolAdapter> = new Map([
  [anthropicAdapter.protocol, anthropicAdapter],
  [geminiAdapter.protocol, geminiAdapter],
  [bedrockAdapter.protocol, bedrockAdapter],
  [cohereAdapter.protocol, cohereAdapter],
]);

export function adapterFor(protocol: string): ProtocolAdapter | null {
  return ADAPTERS.get(protocol) ?? null;
}

/** The protocols an adapter exists for. */
export const ADAPTER_PROTOCOLS: readonly string[] = Object.freeze([...ADAPTERS.keys()]);
