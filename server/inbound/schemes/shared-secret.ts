// A header that carries the secret itself, compared in constant time: Flutterwave's verif-hash
// (the "secret hash" set on the dashboard, https://developer.flutterwave.com/docs/webhooks) and
// Telegram's X-Telegram-Bot-Api-Secret-Token (setWebhook secret_token). Nothing is signed, so a
// replay of the same body is recognised by its digest.
import { safeEqual, sha256Hex } from '../compare.ts';
import { refuse, type SchemeInput, type Verdict } from '../types.ts';

export function verifySharedSecret({ req, spec, secrets }: SchemeInput): Verdict {
  const value = req.header(spec.header);
  if (!value) return refuse('signature', `the ${spec.header} header is missing`);
  if (secrets.length === 0) return refuse('not-configured', 'no key of the provider holds the webhook secret');
  let ok = false;
  for (const s of secrets) if (safeEqual(value, s)) ok = true;
  if (!ok) return refuse('signature', `${spec.header} does not match the secret`);
  return { ok: true, digest: sha256Hex(req.body) };
}
