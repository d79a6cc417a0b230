// What a signature scheme sees of an inbound webhook and what it answers. Schemes are pure: the
// clock, the candidate secrets and (for PayPal) the certificate source come in from outside.
import type { WebhookSignature } from '../../schemas/types.gen.ts';

export interface InboundRequest {
  /** The URL as the provider addressed it: scheme, host, path and query, exactly as sent. */
  url: string;
  /** A header by name (case-insensitive), or undefined. */
  header(name: string): string | undefined;
  /** The raw body, byte for byte: signatures cover it as sent. */
  body: Buffer;
  contentType: string;
}

export interface SchemeInput {
  req: InboundRequest;
  spec: WebhookSignature;
  /** Candidate signing secrets (one per key that holds it), tried in order. */
  secrets: readonly string[];
  publicKey?: string;
  webhookId?: string;
  /** Epoch milliseconds. */
  now: number;
}

export type Refusal = 'signature' | 'stale' | 'not-configured';

export type Verdict =
  | {
      ok: true;
      /** The signed timestamp (epoch seconds) when the scheme has one. */
      timestamp?: number;
      /** Identifies this delivery when the event carries no id of its own (replay memory). */
      digest: string;
      /** The transmission's own id when the scheme has one (PayPal). */
      transmissionId?: string;
    }
  | { ok: false; refusal: Refusal; message: string };

export type SchemeVerifier = (input: SchemeInput) => Verdict | Promise<Verdict>;

export const DEFAULT_TOLERANCE_SECONDS = 300;

export const refuse = (refusal: Refusal, message: string): Verdict => ({ ok: false, refusal, message });
