// The body of a delivery, as the Standard Webhooks spec recommends: {type, timestamp, data}.
import { randomBytes } from 'node:crypto';
import type { HubEvent } from '../events/hub-events.ts';
import { eventMatches } from '../events/hub-events.ts';
import type { WebhookSubscription } from '../../schemas/types.gen.ts';

export function eventBody(event: HubEvent): string {
  const data = event.environment && !('environment' in event.data) ? { ...event.data, environment: event.environment } : event.data;
  return JSON.stringify({ type: event.type, timestamp: new Date(event.at).toISOString(), data });
}

/**
 * Whether a subscription takes an event: one of its patterns matches the type, and its
 * environment (when it names one) is the event's. Hub-wide events (no environment, like
 * config.applied) go to every subscription that names their type.
 */
export function subscribes(sub: Pick<WebhookSubscription, 'events' | 'environment'>, event: Pick<HubEvent, 'type' | 'environment'>): boolean {
  if (sub.environment && event.environment && sub.environment !== event.environment) return false;
  return sub.events.some((p) => eventMatches(p, event.type));
}

export function newDeliveryId(): string {
  return `dlv_${randomBytes(15).toString('base64url').replace(/[-_]/g, 'x')}`;
}
