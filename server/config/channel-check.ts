// Checks sil.yaml's notification channels against the bindings they send through: an email, SMS or
// Telegram channel needs a binding, a recipient and (email, SMS) a sender, and its binding must
// target providers of that kind (server/notify/wire-formats.ts), so a channel that could never
// send is refused when it is committed instead of failing at the first alert.
import { issue, type ConfigIssue } from './issues.ts';
import { didYouMean } from '../core/suggest.ts';
import { KIND_OF_TEMPLATE, KINDS_OF_CHANNEL, type ChannelType } from '../notify/wire-formats.ts';
import type { ConfigModel } from './config-model.ts';

const SENDING = new Set<string>(['email', 'sms', 'telegram']);

export function channelIssues(model: ConfigModel): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  const { value, file, path } = model.settings!;
  const channels = value.notifications?.channels ?? [];
  channels.forEach((c, i) => {
    const at = (field?: string) => file.at(field ? ['notifications', 'channels', i, field] : ['notifications', 'channels', i]);
    const binding = c.binding ? model.bindings.get(c.binding) : undefined;
    if (c.binding && !binding && !model.broken.has(`bindings/${c.binding}`)) {
      out.push(issue(path, at('binding'), 'SIL_CONFIG_REFERENCE', `channel "${c.name}" sends through binding "${c.binding}", which does not exist${didYouMean(c.binding, model.bindings.keys())}`));
    }
    if (!SENDING.has(c.type)) return;
    const type = c.type as ChannelType;
    if (!c.binding) out.push(issue(path, at(), 'SIL_CONFIG_SCHEMA', `${type} channel "${c.name}" names no binding to send through`, `add binding: <a binding whose targets are ${KINDS_OF_CHANNEL[type].join(' or ')} providers> (docs/notifications.md)`));
    if (!c.to?.trim()) out.push(issue(path, at(), 'SIL_CONFIG_SCHEMA', `${type} channel "${c.name}" has no recipient (to)`, type === 'telegram' ? 'add to: <the chat id>' : `add to: <${type === 'email' ? 'an email address' : 'a phone number'}, or several separated by commas>`));
    if (type !== 'telegram' && !c.from?.trim()) out.push(issue(path, at(), 'SIL_CONFIG_SCHEMA', `${type} channel "${c.name}" has no sender (from)`, `add from: <${type === 'email' ? 'a sender address verified at the provider' : 'a phone number or sender id of the account'}>`));
    if (!binding) return;
    for (const [t, target] of (binding.value.targets ?? []).entries()) {
      const provider = model.providers.get(target.provider)?.value;
      if (!provider) continue; // reported by the binding's own check
      const template = provider.template ?? provider.definition?.id ?? '';
      const kind = KIND_OF_TEMPLATE[template];
      if (!kind || !KINDS_OF_CHANNEL[type].includes(kind)) {
        out.push(issue(path, at('binding'), 'SIL_CONFIG_REFERENCE', `${type} channel "${c.name}" sends through binding "${binding.value.name}", whose target ${t + 1} (${target.provider}) is ${template ? `of template ${template}` : 'a custom provider'}, not ${KINDS_OF_CHANNEL[type].join(' or ')}`, 'a channel\'s binding must target providers that send that kind of message (docs/notifications.md)'));
        break;
      }
    }
  });
  const names = channels.map((c) => c.name);
  for (const { value: p, file: pf, path: pp } of model.policies.values()) {
    (p.alerts ?? []).forEach((a, i) => (a.channels ?? []).forEach((ch, j) => {
      if (!names.includes(ch)) out.push(issue(pp, pf.at(['alerts', i, 'channels', j]), 'SIL_CONFIG_REFERENCE', `alert channel "${ch}" is not declared in sil.yaml notifications.channels${didYouMean(ch, names)}`));
    }));
  }
  return out;
}
