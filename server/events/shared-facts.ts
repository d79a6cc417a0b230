// Facts every instance of a cluster observes on its own — each loads every commit — named by a
// deterministic key, so that outgoing webhooks queue them once across instances (HubEvent.fact;
// docs/webhooks.md, "Several instances"). Events that only one instance sees (an inbound provider
// webhook, a budget mark crossed by its request) or that only the leader emits (provider health,
// alerts) need no key.

export const sharedFacts = {
  configApplied: (commit: string): string => `config.applied:${commit}`,
  configRejected: (commit: string): string => `config.rejected:${commit}`,
  /** One default key per provider and commit: the commit and the provider name the rotation. */
  keyRotated: (commit: string, provider: string, keyId: string): string => `key.rotated:${commit}:${provider}:${keyId}`,
};
