// Pure YAML editing for API writes: new files start with the `$schema` line `sil init` writes;
// edits change only the nodes whose value changed, so comments and key order elsewhere stay.
import { Document, isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { schemaLine } from '../../config/initial-files.ts';
import { SilError } from '../../errors.ts';

export const YAML_OUT = { lineWidth: 0, flowCollectionPadding: false } as const;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: unknown };

export const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** RFC 7396 JSON merge patch: objects merge, null deletes, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: JsonObject = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** `first` keys in front, the others in their order (ids and names lead a new file). */
export function ordered(value: JsonObject, first: readonly string[]): JsonObject {
  const out: JsonObject = {};
  for (const k of first) if (value[k] !== undefined) out[k] = value[k];
  for (const [k, v] of Object.entries(value)) if (!(k in out) && v !== undefined) out[k] = v;
  return out;
}

/** Text of a new config file: the editor `$schema` line, then the value (JSON for .json paths). */
export function newFileText(path: string, schemaFile: string, value: JsonObject): string {
  if (path.endsWith('.json')) return `${JSON.stringify(value, null, 2)}\n`;
  return `${schemaLine(path, schemaFile)}\n${new Document(value).toString(YAML_OUT)}`;
}

/** A file as a YAML document whose top level is a mapping (JSON files are read as data). */
export function readDocument(path: string, text: string): Document {
  let doc: Document;
  if (path.endsWith('.json')) {
    try {
      doc = new Document(JSON.parse(text));
    } catch {
      throw new SilError('SIL_CONFIG_YAML', `${path} is not valid JSON`, { hint: 'fix the file with git, or replace it with PUT' });
    }
  } else {
    doc = parseDocument(text, { uniqueKeys: true });
    if (doc.errors.length) throw new SilError('SIL_CONFIG_YAML', `${path}: ${doc.errors[0].message.split('\n')[0]}`);
  }
  if (!isMap(doc.contents)) throw new SilError('SIL_CONFIG_NOT_MAPPING', `${path} is not a mapping`);
  return doc;
}

export function writeDocument(path: string, doc: Document): string {
  return path.endsWith('.json') ? `${JSON.stringify(doc.toJS(), null, 2)}\n` : doc.toString(YAML_OUT);
}

/** The plain value of a document (what handlers edit). */
export function valueOf(doc: Document): JsonObject {
  return doc.toJS() as JsonObject;
}

function keyOf(key: unknown): unknown {
  return isScalar(key) ? key.value : key;
}

/** Makes `node` hold `value`, keeping every node (and its comments) whose value is unchanged. */
function sync(doc: Document, node: unknown, value: unknown): Node {
  if (isObject(value) && isMap(node)) {
    node.items = node.items.filter((pair) => Object.hasOwn(value, String(keyOf(pair.key))) && value[String(keyOf(pair.key))] !== undefined);
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      const pair = node.items.find((p) => String(keyOf(p.key)) === k);
      if (pair) pair.value = sync(doc, pair.value, v);
      else node.set(doc.createNode(k), doc.createNode(v));
    }
    return node;
  }
  if (Array.isArray(value) && isSeq(node)) {
    node.items = node.items.slice(0, value.length);
    value.forEach((v, i) => {
      if (i < node.items.length) node.items[i] = sync(doc, node.items[i], v);
      else node.items.push(doc.createNode(v));
    });
    return node;
  }
  if (isScalar(node) && !isObject(value) && !Array.isArray(value) && node.value === value) return node;
  return doc.createNode(value) as Node;
}

/** Replaces the document's value with `value`, changing only what differs. */
export function syncDocument(doc: Document, value: JsonObject): void {
  doc.contents = sync(doc, doc.contents, value as Json) as typeof doc.contents;
}
