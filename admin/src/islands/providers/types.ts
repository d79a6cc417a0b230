// Shapes the providers islands share: catalog templates as the API returns them, the loaded
// provider of the details page, and how its panels send a change.
import type { FieldSpec, KeyMeta, ProviderSummary } from '../../lib/providers.ts';

export interface Template {
  id: string;
  name: string;
  category: string;
  description?: string;
  docs?: string;
  connection?: Record<string, FieldSpec>;
  credentials?: Record<string, FieldSpec>;
  /** An option's own healthCheck replaces the template's for an instance that picks it. */
  authOptions?: Record<string, { title?: string; credentials?: Record<string, FieldSpec>; healthCheck?: HealthCheck }>;
}

export interface HealthCheck { kind: 'request' | 'token' | 'passive'; method?: string; path?: string; intervalSeconds?: number; expect?: { status?: number[] }; note?: string }

export type FullTemplate = Template & { healthCheck?: HealthCheck; services: { id: string; name?: string; protocol: string; description?: string }[] };

export interface Loaded { commit: string; provider: Record<string, any>; summary: ProviderSummary; template: FullTemplate | null; keys: KeyMeta[] }

/** Sends a change based on the loaded commit, then reloads; errors are thrown to the caller. */
export type Change = <T = { commit: string }>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: Record<string, unknown>) => Promise<T>;
