// The walk over an OpenAI conversation that the Anthropic, Bedrock Converse and Gemini adapters
// share: system and developer texts set apart, then user, assistant and tool messages as turns
// that alternate, consecutive turns of one role merged (a tool result is the user's turn). Each
// adapter builds its own blocks; messages are visited in order (Gemini's tool results look up
// the names of calls made earlier).
import { refuse, textsOf } from './openai-request.ts';
import type { OpenAIMessage } from './types.ts';

export interface Turn<B> { role: 'user' | 'assistant'; content: B[] }

export interface TurnBlocks<B> {
  user(m: OpenAIMessage, i: number): B[];
  /** An assistant message with nothing to send (no text, no tool call) may give none. */
  assistant(m: OpenAIMessage, i: number): B[];
  tool(m: OpenAIMessage, i: number): B;
}

function push<B>(turns: Turn<B>[], role: Turn<B>['role'], content: B[]): void {
  const last = turns.at(-1);
  if (last && last.role === role) last.content.push(...content);
  else turns.push({ role, content });
}

/** The system texts and the turns of `messages`; refuses an empty user message and a conversation without turns. */
export function collectTurns<B>(messages: readonly OpenAIMessage[], protocol: string, blocks: TurnBlocks<B>): { system: string[]; turns: Turn<B>[] } {
  const system: string[] = [];
  const turns: Turn<B>[] = [];
  messages.forEach((m, i) => {
    switch (m.role) {
      case 'system':
      case 'developer':
        system.push(...textsOf(m, i, protocol));
        break;
      case 'user': {
        const content = blocks.user(m, i);
        if (content.length === 0) throw refuse(protocol, `messages[${i}]: a user message needs content`);
        push(turns, 'user', content);
        break;
      }
      case 'assistant': {
        const content = blocks.assistant(m, i);
        if (content.length > 0) push(turns, 'assistant', content);
        break;
      }
      case 'tool':
        push(turns, 'user', [blocks.tool(m, i)]);
        break;
    }
  });
  if (turns.length === 0) throw refuse(protocol, 'the request has no user or assistant message');
  return { system, turns };
}
