// The named signature schemes a template's webhookSignature.scheme refers to (default hmac).
import type { WebhookSignature } from '../../../schemas/types.gen.ts';
import type { SchemeVerifier } from '../types.ts';
import { verifyHmac } from './hmac.ts';
import { verifyTwilio } from './twilio.ts';
import { verifySharedSecret } from './shared-secret.ts';
import { verifyEcdsaP256 } from './ecdsa-p256.ts';
import { paypalVerifier, type CertificateSource } from './paypal.ts';

export type SchemeName = NonNullable<WebhookSignature['scheme']>;

export function schemeRegistry(deps: { paypalCertificates: CertificateSource }): Record<SchemeName, SchemeVerifier> {
  return {
    hmac: verifyHmac,
    twilio: verifyTwilio,
    'shared-secret': verifySharedSecret,
    'ecdsa-p256': verifyEcdsaP256,
    paypal: paypalVerifier(deps.paypalCertificates),
  };
}
