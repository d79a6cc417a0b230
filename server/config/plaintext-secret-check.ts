// Finds provider keys pasted into files that are not encrypted (providers/*.yaml, bindings...):
// string values that look like a known key format fail validation with a hint to move them
// into secrets/.
import type { ProviderTemplate } from '../../schemas/types.gen.ts';
import { issue, type ConfigIssue } from './issues.ts';
import type { ParsedFile } from './parse-file.ts';

const KNOWN_FORMATS: readonly [string, RegExp][] = [
  ['an OpenAI key', /^sk-(proj-|svcacct-|admin-)?[A-Za-z0-9_-]{32,}$/],
  ['an Anthropic key', /^sk-ant-[A-Za-z0-9_-]{20,}$/],
  ['a Stripe key', /^(sk|rk)_(live|test)_[0-9A-Za-z]{16,}$/],
  ['an AWS access key id', /^(AKIA|ASIA)[0-9A-Z]{16}$/],
  ['a Google API key', /^AIza[0-9A-Za-z_-]{35}$/],
  ['a SendGrid key', /^SG\.[\w-]{16,}\.[\w-]{16,}$/],
  ['a Hugging Face token', /^hf_[A-Za-z0-9]{30,}$/],
  ['a Replicate token', /^r8_[A-Za-z0-9]{30,}$/],
  ['a GitHub token', /^gh[pousr]_[A-Za-z0-9]{36,}$/],
  ['a Slack token', /^xox[abposr]-[A-Za-z0-9-]{10,}$/],
  ['a webhook signing secret', /^whsec_[A-Za-z0-9+/=]{24,}$/],
  ['a sil client token', /^sil_[0-9A-Za-z]{36}$/],
  ['a private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
];

/** Keys of template field specs whose strings show what a key looks like, not a key. */
const SKIP = new Set(['example', 'pattern']);

/** Credential patterns of the catalog that start with a literal prefix of 3+ characters. */
export function catalogKeyFormats(templates: Iterable<ProviderTemplate>): [string, RegExp][] {
  const out: [string, RegExp][] = [];
  for (const t of templates) {
    for (const [name, f] of Object.entries(t.credentials ?? {})) {
      if (!f.pattern || !/^\^[A-Za-z0-9_-]{3,}/.test(f.pattern)) continue;
      try {
        out.push([`${t.name} ${f.title ?? name}`, new RegExp(f.pattern, 'u')]);
      } catch {
        // An invalid pattern is reported by the catalog check.
      }
    }
  }
  return out;
}

export function plaintextSecretIssues(file: ParsedFile, formats: readonly [string, RegExp][]): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  const visit = (v: unknown, at: (string | number)[]) => {
    if (typeof v === 'string') {
      if (v.length < 16) return;
      const hit = [...KNOWN_FORMATS, ...formats].find(([, re]) => re.test(v));
      if (hit) {
        out.push(issue(file.path, file.at(at), 'SIL_CONFIG_PLAINTEXT_SECRET', `this looks like ${hit[0]} in plain text`, 'keys belong encrypted in secrets/<provider-id>.yaml: remove it here, rotate it (it is in git history now), and add the new one with `sil keys add <provider>` (reads stdin)'));
      }
    } else if (Array.isArray(v)) v.forEach((x, i) => visit(x, [...at, i]));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) if (!SKIP.has(k)) visit(x, [...at, k]);
  };
  visit(file.value, []);
  return out;
}
