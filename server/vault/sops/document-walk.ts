// Walks the values of a YAML/JSON document the way SOPS does: depth-first in file order, with
// the path of map keys (list indices are not part of it), skipping the top-level `sops` block.
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Scalar } from 'yaml';
import { isYamlTimestamp } from './go-format.ts';
import type { SopsType } from './value-cipher.ts';
import { SilError } from '../../errors.ts';

export interface Leaf {
  node: Scalar;
  keys: string[];
  /** The AAD: keys joined by `:` with a trailing `:`. */
  aad: string;
  /** The SOPS type of the plain value; null for null values (skipped by SOPS). */
  type: SopsType | null;
}

export const aadOf = (keys: readonly string[]) => keys.map((k) => `${k}:`).join('');

const INT = /^[-+]?(0|[1-9][0-9_]*|0x[0-9a-fA-F_]+|0o[0-7_]+)$/;

function typeOf(node: Scalar, source: string, format: 'yaml' | 'json'): SopsType | null {
  const v = node.value;
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number' || typeof v === 'bigint') {
    if (format === 'json') return 'float';
    const text = node.range ? source.slice(node.range[0], node.range[1]).trim() : String(v);
    return INT.test(text) ? 'int' : 'float';
  }
  if (typeof v === 'string') return format === 'yaml' && node.type === 'PLAIN' && isYamlTimestamp(v) ? 'time' : 'str';
  throw new SilError('SIL_VAULT_FORMAT', `unsupported value ${String(v)}`);
}

export function leaves(doc: Document, source: string, format: 'yaml' | 'json'): Leaf[] {
  const out: Leaf[] = [];
  const visit = (node: unknown, keys: string[]) => {
    if (isAlias(node)) throw new SilError('SIL_VAULT_FORMAT', `YAML aliases are not supported in SOPS files (at "${aadOf(keys)}")`);
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        if (keys.length === 0 && key === 'sops') continue;
        visit(pair.value, [...keys, key]);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) visit(item, keys);
    } else if (isScalar(node)) {
      out.push({ node, keys, aad: aadOf(keys), type: typeOf(node, source, format) });
    }
  };
  visit(doc.contents, []);
  return out;
}

export interface CommentSlot {
  /** The object holding the comment and the property it is in. */
  owner: { commentBefore?: string | null; comment?: string | null };
  prop: 'commentBefore' | 'comment';
  /** Paths of the maps the comment may belong to, most likely first (the YAML library may
   * attach a trailing comment to a neighbouring node). */
  aads: string[];
}

/** Every comment of the document, with candidate AADs. */
export function commentSlots(doc: Document): CommentSlot[] {
  const slots: CommentSlot[] = [];
  const mapPaths: string[] = [''];
  const add = (owner: CommentSlot['owner'], likely: string) => {
    for (const prop of ['commentBefore', 'comment'] as const) if (owner[prop]) slots.push({ owner, prop, aads: [likely] });
  };
  add(doc as unknown as CommentSlot['owner'], '');
  const visit = (node: unknown, keys: string[], container: string) => {
    if (!node || typeof node !== 'object') return;
    add(node as CommentSlot['owner'], container);
    if (isMap(node)) {
      const here = aadOf(keys);
      mapPaths.push(here);
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        if (pair.key && typeof pair.key === 'object') add(pair.key as CommentSlot['owner'], here);
        visit(pair.value, [...keys, key], here);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) visit(item, keys, aadOf(keys));
    }
  };
  visit(doc.contents, [], '');
  for (const s of slots) s.aads = [...new Set([...s.aads, ...mapPaths.slice().reverse()])];
  return slots;
}
