// Telegram Bot API mock (https://api.telegram.org/bot<token>/<method>).
// Auth (core.telegram.org/bots/api#making-requests): the bot token is part of the path; there is
// no header. Methods are case-insensitive, GET and POST both work, parameters come from the query
// string, application/x-www-form-urlencoded, application/json or multipart. Every answer is JSON
// {"ok": true, "result": ...} or {"ok": false, "error_code", "description"[, "parameters"]}; the
// HTTP status equals error_code. A well-formed but wrong or revoked token is 401 "Unauthorized", a
// path that is no bot token 404 "Not Found". Flood control: 429 "Too Many Requests: retry after N"
// with parameters.retry_after = N (seconds); no rate-limit headers exist.
import { startMockServer, type MockAnswer, type ProviderMock, type ReceivedRequest } from '../../helpers/catalog/provider-mock.ts';
import { params } from './messaging-common.ts';

export const TELEGRAM_BOT_TOKEN = '7012345678:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw_';

export interface TelegramMock extends ProviderMock {
  botToken: string;
  sent: { chatId: string; text: string; messageId: number }[];
  /** Refuse the token from now on (/revoke at @BotFather). */
  revoke(): void;
  /** While > 0, answer 429 with this retry_after. */
  retryAfter: number;
}

const fail = (code: number, description: string, parameters?: Record<string, unknown>): MockAnswer => ({
  status: code,
  body: { ok: false, error_code: code, description, ...(parameters ? { parameters } : {}) },
});

export async function startTelegramMock(opts: { botToken?: string; knownChats?: string[] } = {}): Promise<TelegramMock> {
  const botToken = opts.botToken ?? TELEGRAM_BOT_TOKEN;
  const botId = Number(botToken.split(':')[0]);
  const chats = new Set(opts.knownChats ?? ['123456789', '@mockchannel']);
  let revoked = false;
  const sent: TelegramMock['sent'] = [];
  let mock: TelegramMock;

  const me = { id: botId, is_bot: true, first_name: 'Mock bot', username: 'mock_sil_bot', can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false };

  function sendMessage(r: ReceivedRequest): MockAnswer {
    const p = params(r);
    const chatId = p.chat_id === undefined ? '' : String(p.chat_id);
    const text = p.text === undefined ? '' : String(p.text);
    if (!chatId) return fail(400, 'Bad Request: chat_id is empty');
    if (!text) return fail(400, 'Bad Request: message text is empty');
    if (!chats.has(chatId)) return fail(400, 'Bad Request: chat not found');
    const messageId = sent.length + 1;
    sent.push({ chatId, text, messageId });
    const chat = chatId.startsWith('@') ? { id: -1001234567890, title: 'Mock channel', username: chatId.slice(1), type: 'channel' } : { id: Number(chatId), first_name: 'Ada', type: 'private' };
    return { status: 200, body: { ok: true, result: { message_id: messageId, from: me, chat, date: 1704067200, text } } };
  }

  mock = Object.assign(
    await startMockServer((r) => {
      const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(r.path);
      if (!m || !/^[0-9]+:[A-Za-z0-9_-]+$/.test(decodeURIComponent(m[1]))) return fail(404, 'Not Found');
      if (decodeURIComponent(m[1]) !== botToken || revoked) return fail(401, 'Unauthorized');
      if (mock.retryAfter > 0) return fail(429, `Too Many Requests: retry after ${mock.retryAfter}`, { retry_after: mock.retryAfter });
      switch (m[2].toLowerCase()) {
        case 'getme':
          return { status: 200, body: { ok: true, result: me } };
        case 'sendmessage':
          return sendMessage(r);
        default:
          return fail(404, 'Not Found: method not found');
      }
    }),
    { botToken, sent, retryAfter: 0, revoke: () => void (revoked = true) },
  );
  return mock;
}
