// Finds where in a YAML document a value sits, for `path:line:column` messages.
import { isMap, isSeq, isScalar, isPair, type Node, type Document, type LineCounter } from 'yaml';

export interface Position { line: number; column: number }

/** Splits an ajv instancePath (`/targets/0/provider`) into segments. */
export function pointerSegments(pointer: string): string[] {
  if (!pointer) return [];
  return pointer.slice(1).split('/').map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/**
 * Position of the node at `segments`; with `key` set, of the mapping key naming it (used for
 * unknown fields). Falls back to the deepest node found, then to the top of the file.
 */
export function positionOf(doc: Document, lines: LineCounter, segments: readonly (string | number)[], key = false): Position {
  let node: unknown = doc.contents;
  let best: Node | null = (doc.contents as Node) ?? null;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    const last = i === segments.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      if (last && key && pair.key) { best = pair.key as Node; node = null; break; }
      node = pair.value;
      if (pair.value) best = pair.value as Node;
      else best = pair.key as Node;
    } else if (isSeq(node)) {
      const item = node.items[Number(seg)];
      if (item === undefined) break;
      node = item;
      best = item as Node;
    } else break;
  }
  const range = best?.range;
  if (!range) return { line: 1, column: 1 };
  const at = lines.linePos(range[0]);
  return { line: at.line, column: at.col };
}
