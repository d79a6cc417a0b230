import { describe, it, expect } from 'vitest';
import { loadCatalog } from '../../../server/config/catalog.ts';
import { formatIssue } from '../../../server/config/issues.ts';
import { readSchema } from '../../../server/config/schemas.ts';
import type { AuthScheme, ProviderTemplate } from '../../../schemas/types.gen.ts';
import { tempDir, writeFiles } from '../../helpers/tmp.ts';

const { catalog, issues } = loadCatalog();

/** Every provider the brief names, by catalog id (Mailchimp Transactional is the 41st). */
const BRIEF: Record<string, string[]> = {
  AI: ['openai', 'anthropic', 'google-gemini', 'meta-llama', 'cohere', 'hugging-face', 'replicate', 'azure-openai', 'aws-bedrock', 'deepseek'],
  Cloud: ['hetzner', 'aws', 'google-cloud', 'azure', 'cloudflare', 'vercel', 'digitalocean', 'render'],
  Communication: ['twilio', 'sendgrid', 'mailchimp', 'mailchimp-transactional', 'messagebird', 'telegram'],
  Payment: ['stripe', 'paypal', 'razorpay', 'flutterwave'],
  Analytics: ['google-analytics', 'mixpanel', 'amplitude', 'hotjar'],
  Search: ['algolia', 'elasticsearch', 'meilisearch'],
  Media: ['cloudinary', 'imgur', 'uploadcare'],
  Maps: ['google-maps', 'mapbox', 'here'],
};

function schemes(t: ProviderTemplate): AuthScheme[] {
  return [t.auth, ...Object.values(t.authOptions ?? {}).map((o) => o.auth), ...t.services.flatMap((s) => (s.auth ? [s.auth] : []))];
}

describe('provider catalog', () => {
  it('all 41 templates validate', () => {
    expect(issues.map(formatIssue)).toEqual([]);
    expect(catalog.size).toBe(41);
  });

  it('has a template for every provider the brief names, in its category', () => {
    for (const [category, ids] of Object.entries(BRIEF)) {
      for (const id of ids) expect(catalog.get(id)?.category, id).toBe(category);
    }
  });

  it('uses every built-in auth mechanism of the schema somewhere', () => {
    const types = (readSchema('provider-template.schema.json') as { $defs: { authScheme: { oneOf: { $ref: string }[] } } }).$defs.authScheme.oneOf.length;
    const used = new Set([...catalog.values()].flatMap((t) => schemes(t).map((a) => a.type)));
    used.delete('none');
    expect(used.size).toBe(types - 1);
  });

  it('maps the providers of provider-facts section 3 to their mechanisms', () => {
    const uses = (id: string, type: string) => schemes(catalog.get(id)!).some((a) => a.type === type);
    const expected: [string, string][] = [
      ['openai', 'bearer'], ['anthropic', 'header'], ['azure-openai', 'header'], ['algolia', 'header'],
      ['messagebird', 'authorization'], ['elasticsearch', 'authorization'], ['imgur', 'authorization'], ['uploadcare', 'authorization'],
      ['twilio', 'basic'], ['razorpay', 'basic'], ['mixpanel', 'basic'], ['mailchimp', 'basic'],
      ['google-maps', 'query'], ['mapbox', 'query'], ['here', 'query'], ['google-analytics', 'query'],
      ['mailchimp-transactional', 'body'], ['telegram', 'path'],
      ['paypal', 'oauth2-client-credentials'], ['hotjar', 'oauth2-client-credentials'], ['azure', 'oauth2-client-credentials'],
      ['aws', 'aws-sigv4'], ['aws-bedrock', 'aws-sigv4'], ['google-cloud', 'google-service-account'], ['cloudinary', 'hmac-signature'],
    ];
    for (const [id, type] of expected) expect(uses(id, type), `${id} uses ${type}`).toBe(true);
  });

  it('gives every template a health check, a pass-through service and titled credentials', () => {
    for (const t of catalog.values()) {
      expect(t.healthCheck, t.id).toBeDefined();
      expect(t.services.some((s) => s.protocol === 'http'), `${t.id} has an http service`).toBe(true);
      for (const [name, field] of Object.entries(t.credentials ?? {})) expect(field.title, `${t.id}.${name}`).toBeTruthy();
    }
  });

  it('prices the models of every AI template', () => {
    for (const id of BRIEF.AI) {
      const models = catalog.get(id)!.services.flatMap((s) => s.models ?? []);
      // Azure: models are deployments; Replicate: per second of hardware; Hugging Face: the routed
      // provider's rates; Meta's Llama API publishes no per-token price (see its unconfirmed list).
      if (['azure-openai', 'replicate', 'hugging-face', 'meta-llama'].includes(id)) continue;
      expect(models.length, id).toBeGreaterThan(0);
      expect(models.some((m) => m.pricing?.inputPer1M !== undefined || m.pricing?.perSecond !== undefined), id).toBe(true);
    }
  });

  it('rejects a template with an undeclared placeholder, naming file, line and column', () => {
    const tmp = tempDir();
    try {
      writeFiles(tmp.path, {
        'acme.yaml': 'id: acme\nname: ACME\ncategory: Custom\nbaseUrl: https://${connection.host}\nauth: { type: bearer, token: "${secret.key}" }\nservices: [{ id: api, protocol: http }]\n',
        'other.yaml': 'id: wrong\nname: X\ncategory: Custom\nbaseUrl: https://x.test\nauth: { type: none }\nservices: [{ id: api, protocol: http }]\n',
      });
      const r = loadCatalog(tmp.path);
      expect(r.issues.map(formatIssue)).toEqual([
        expect.stringMatching(/^providers\/acme\.yaml:4:10: \$\{connection\.host\} is not a declared connection field/),
        expect.stringMatching(/^providers\/acme\.yaml:5:\d+: \$\{secret\.key\} is not a declared credential/),
        expect.stringMatching(/^providers\/other\.yaml:1:1: template id "wrong" must equal the file name "other"/),
      ]);
      expect(r.catalog.size).toBe(0);
    } finally {
      tmp.cleanup();
    }
  });
});
