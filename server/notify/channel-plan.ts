// How one channel of sil.yaml is sent: which wire format its binding's providers speak and the
// path below the binding. Pure: the snapshot in, a plan or the reason there is none out.
import type { ConfigSnapshot } from '../config/snapshot.ts';
import { KIND_OF_TEMPLATE, KINDS_OF_CHANNEL, SEND_SERVICE, recipientsOf, sendEndpoint, type ChannelType, type ProviderKind } from './wire-formats.ts';

export interface ChannelConfig {
  name: string;
  type: 'console' | 'webhook' | ChannelType;
  binding?: string;
  to?: string;
  from?: string;
}

export type ChannelPlan =
  | { via: 'console' | 'webhook' }
  | { via: 'binding'; type: ChannelType; binding: string; kind: ProviderKind; subPath: string; to: string[]; from?: string };

export function channelsOf(snapshot: ConfigSnapshot | null): readonly ChannelConfig[] {
  return (snapshot?.settings.notifications?.channels ?? []) as readonly ChannelConfig[];
}

/** The plan for `name`, or why it cannot be sent (a sentence safe to show). */
export function planChannel(snapshot: ConfigSnapshot | null, name: string): ChannelPlan | { error: string } {
  const channel = channelsOf(snapshot).find((c) => c.name === name);
  if (!channel) return { error: `no channel "${name}" in sil.yaml notifications.channels` };
  if (channel.type === 'console' || channel.type === 'webhook') return { via: channel.type };
  if (!channel.binding) return { error: `channel "${name}" names no binding to send through` };
  const to = recipientsOf(channel.to);
  if (to.length === 0) return { error: `channel "${name}" has no recipient (to)` };
  const binding = snapshot!.bindings.get(channel.binding);
  if (!binding) return { error: `channel "${name}" sends through binding "${channel.binding}", which does not exist` };
  if (!binding.enabled) return { error: `binding "${binding.name}" of channel "${name}" is disabled` };
  if (binding.targets.length === 0) return { error: `binding "${binding.name}" has no target` };
  let kind: ProviderKind | undefined;
  let service: string | undefined;
  let subPath = '';
  for (const [i, target] of binding.targets.entries()) {
    const provider = snapshot!.providers.get(target.provider);
    const template = provider ? (provider.template ?? provider.definition.id ?? '') : '';
    const k = KIND_OF_TEMPLATE[template];
    if (!provider || !k) return { error: `binding "${binding.name}" sends through ${template || target.provider}, which is not an email, SMS or Telegram provider sil can write to (${Object.keys(KIND_OF_TEMPLATE).join(', ')})` };
    if (i === 0) {
      kind = k;
      service = target.service;
      if (!KINDS_OF_CHANNEL[channel.type].includes(k)) return { error: `channel "${name}" is ${channel.type === 'email' ? 'an' : 'a'} ${channel.type} channel but binding "${binding.name}" sends through ${template}` };
      if (service === SEND_SERVICE[k]) subPath = '';
      else if (service === 'api') subPath = sendEndpoint(k, provider.connection as Record<string, string | undefined>);
      else return { error: `binding "${binding.name}" targets ${template} service "${service}"; a ${channel.type} channel needs "${SEND_SERVICE[k]}" (or "api")` };
    } else if (k !== kind || target.service !== service) {
      // One request body and path go to every target the binding fails over to.
      return { error: `binding "${binding.name}" mixes ${kind}/${service} with ${k}/${target.service}; a channel's binding must target one provider type and service` };
    }
  }
  if (!channel.from && kind !== 'telegram') return { error: `channel "${name}" has no sender (from), which ${kind} requires` };
  return { via: 'binding', type: channel.type, binding: binding.name, kind: kind!, subPath, to, ...(channel.from ? { from: channel.from } : {}) };
}
