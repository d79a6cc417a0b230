// Which service protocols a binding of a given protocol can use. A target speaking the
// binding's own protocol always fits; the lists name the protocols the proxy adapts.
export const ADAPTED_PROTOCOLS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  'openai-chat': Object.freeze(['anthropic-messages', 'gemini-generate-content', 'cohere-chat', 'bedrock-converse']),
});

export function canServe(bindingProtocol: string, serviceProtocol: string): boolean {
  return bindingProtocol === serviceProtocol || (ADAPTED_PROTOCOLS[bindingProtocol]?.includes(serviceProtocol) ?? false);
}
