// Which values of a SOPS file are encrypted: the one rule a file may carry (sops-format.md).
import { SilError } from '../../errors.ts';

export const RULE_KEYS = ['unencrypted_suffix', 'encrypted_suffix', 'unencrypted_regex', 'encrypted_regex', 'unencrypted_comment_regex', 'encrypted_comment_regex'] as const;
export type RuleKind = (typeof RULE_KEYS)[number];
export interface Rule { kind: RuleKind; value: string }

export const DEFAULT_RULE: Rule = { kind: 'unencrypted_suffix', value: '_unencrypted' };

/** The rule named in a `sops:` metadata block; the default when none is. */
export function ruleOf(meta: Record<string, unknown>): Rule {
  const set = RULE_KEYS.filter((k) => typeof meta[k] === 'string' && meta[k] !== '');
  if (set.length > 1) throw new SilError('SIL_VAULT_FORMAT', `the sops block sets ${set.join(' and ')}; at most one rule is allowed`);
  return set.length ? { kind: set[0], value: String(meta[set[0]]) } : DEFAULT_RULE;
}

/**
 * Whether the value at a path of map keys is encrypted. Returns null for the comment-regex
 * rules, which depend on comments rather than keys: callers then go by the value itself.
 */
export function encryptsPath(rule: Rule, keys: readonly string[]): boolean | null {
  switch (rule.kind) {
    case 'unencrypted_suffix':
      return !keys.some((k) => k.endsWith(rule.value));
    case 'encrypted_suffix':
      return keys.some((k) => k.endsWith(rule.value));
    case 'unencrypted_regex': {
      const re = new RegExp(rule.value);
      return !keys.some((k) => re.test(k));
    }
    case 'encrypted_regex': {
      const re = new RegExp(rule.value);
      return keys.some((k) => re.test(k));
    }
    default:
      return null;
  }
}
