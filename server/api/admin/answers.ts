// The shapes of the admin API's answers that the console reads as well. Types only, importing
// nothing but the generated schema types, so that admin/ imports them (type-only) without
// Node's types: the console and the API cannot drift apart.
import type { Client, ProviderKey } from '../../../schemas/types.gen.ts';

export type ProviderStatus = 'enabled' | 'disabled' | 'error';

export interface KeyCounts { total: number; active: number; default: string | null }

export interface ServiceSummary { id: string; name?: string; protocol: string; enabled: boolean }

/** GET /api/providers (each entry) and the summary part of GET /api/providers/{id}. */
export interface ProviderSummary {
  id: string;
  name: string;
  description?: string;
  category: string | null;
  template: string | null;
  environment: string;
  enabled: boolean;
  status: ProviderStatus;
  problems: string[];
  services: ServiceSummary[];
  keys: KeyCounts;
  tags: string[];
  /** The policy limiting requests to this provider (docs/limits.md). */
  policy?: string;
  /** The health monitor's live status (docs/health.md); absent when the provider is not live. `status` stays the config's view. */
  health?: { status: 'active' | 'degraded' | 'error' | 'disabled'; reason: string; since: number };
}

export type KeyStatus = ProviderKey['status'];

/** A key as the API shows it: its metadata from the secrets file, never the secret. */
export type KeyMeta = Pick<ProviderKey, 'id' | 'label' | 'status' | 'created' | 'updated' | 'rotated' | 'expires' | 'retireAt' | 'revokedAt' | 'replaces' | 'providerKeyId' | 'fingerprint'> & {
  default: boolean;
  /** `••••` and the last 4 characters of the main credential (when it is long enough). */
  mask: string;
  /** For active keys: days until rotation is due (negative when overdue). */
  rotationDueInDays?: number;
};

/** A client token as answers show it: its id, hint and dates, never the hash. */
export interface ClientTokenView {
  id: string;
  hint?: string;
  createdAt: string;
  expiresAt?: string;
  revokedAt?: string;
  status: 'active' | 'revoked' | 'expired';
}

/** GET /api/clients (each entry) and GET /api/clients/{name}: the file, its tokens as views. */
export type ClientView = Omit<Client, 'tokens'> & { tokens?: ClientTokenView[] };
