// What the bindings and clients screens read besides their own resource: environments,
// providers (for targets), bindings (for clients) and policies; each read waits for the session
// gate so that a signed-out visit goes to the login page once, without an "expired" notice.
import { api, session } from '../../lib/api.ts';
import type { Binding, ProviderChoice } from '../../lib/bindings.ts';

/** Resolves once the owner is signed in; never when the session gate is sending the page away. */
export async function signedIn(): Promise<void> {
  const s = await session();
  if (!s.authenticated) await new Promise<never>(() => undefined);
}

export async function get<T>(path: string): Promise<T> {
  await signedIn();
  return api.get<T>(path);
}

export interface Context { commit: string; environments: string[]; providers: ProviderChoice[]; bindings: Binding[]; policies: string[] }

export async function loadContext(): Promise<Context> {
  const [envs, providers, bindings, policies] = await Promise.all([
    get<{ environments: { name: string }[] }>('/api/environments'),
    get<{ providers: ProviderChoice[] }>('/api/providers'),
    get<{ commit: string; bindings: Binding[] }>('/api/bindings'),
    get<{ policies: { name: string }[] }>('/api/policies'),
  ]);
  return { commit: bindings.commit, environments: envs.environments.map((e) => e.name), providers: providers.providers, bindings: bindings.bindings, policies: policies.policies.map((p) => p.name) };
}

/** The query parameter `name` of this page (an item to open), or null. */
export const nameParam = (): string | null => new URLSearchParams(location.search).get('name');
