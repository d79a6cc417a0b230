// What the proxy stages hand on to each other for one request (ctx.state.proxy).
import type { Client } from '../../schemas/types.gen.ts';
import type { CompiledBinding, ConfigSnapshot } from '../config/snapshot.ts';
import type { Admission } from '../limits/admission.ts';

export type Door = 'unified' | 'bind';

export interface AttemptRecord {
  provider: string;
  service: string;
  keyId: string;
  model?: string;
  outcome: string;
  status?: number;
  ms: number;
}

export interface ProxyState {
  requestId: string;
  startedAt: number;
  door: Door;
  snapshot: ConfigSnapshot;
  client?: Client;
  binding?: CompiledBinding;
  /** For the unified door: the model asked for after `binding/`, if any. */
  model?: string;
  /** The caller's body as received (bytes), and parsed when it is JSON. */
  body: Buffer;
  json?: Record<string, unknown>;
  /** For /bind/<binding>/<path>: the path below the binding, percent-encoded, checked. */
  subPath?: string;
  attempts: AttemptRecord[];
  failoverReasons: string[];
  /** Set by pass-on when a provider's answer goes to the caller (usage is recorded for it later). */
  answered: boolean;
  /** What the limiter decided (x-ratelimit figures, Retry-After, token reservations); undefined when no policy applies. */
  admission: Admission | undefined;
}
