// The history screen's pure logic: commits as GET /api/history answers them, diff lines
// classified for display (added, removed, hunk header, file header), signature statuses and
// what a revert commit points back to. No DOM, no I/O: tested in Node.

export interface Person { name: string; email: string; date: string; timezone?: string }
export type SignatureStatus = 'good' | 'unsigned' | 'bad' | 'unknown-signer';
export interface FileChange { path: string; status: 'A' | 'M' | 'D' | 'T'; diff?: string | null; truncated?: boolean }
export interface Commit {
  id: string;
  parents: string[];
  author: Person;
  committer: Person;
  subject: string;
  message: string;
  signature: { status: SignatureStatus; signer?: string; reason?: string };
  files?: FileChange[];
  filesTruncated?: boolean;
  counts: { added: number; modified: number; deleted: number };
}
export interface HistoryPage { branch?: string; head: string | null; commits: Commit[]; next: string | null }

export const SIGNATURE_STATUSES: readonly SignatureStatus[] = ['good', 'unsigned', 'bad', 'unknown-signer'];

/** How a status looks: good is fine, unsigned worth a look, a bad or unknown signature alarming. */
export function signatureTone(status: string): 'ok' | 'warn' | 'danger' {
  return status === 'good' ? 'ok' : status === 'unsigned' ? 'warn' : 'danger';
}

export const shortId = (id: string): string => id.slice(0, 7);
export const COMMIT_ID = /^[0-9a-f]{40}$/;

/** The commit a revert commit undid ("This reverts commit <id>."), or null. */
export function revertedBy(message: string): string | null {
  return /This reverts commit ([0-9a-f]{40})\./.exec(message)?.[1] ?? null;
}

/** The body of a message: what follows the subject line and the blank line after it. */
export function messageBody(message: string): string {
  return message.split('\n').slice(1).join('\n').trim();
}

export type LineKind = 'add' | 'del' | 'hunk' | 'meta' | 'context' | 'note';
export interface DiffLine { kind: LineKind; text: string }

const META = /^(diff --git |index |--- |\+\+\+ |new file mode|deleted file mode|old mode|new mode|similarity index|rename from|rename to|Binary files)/;

/**
 * One line of a unified diff. Before the first hunk, `---`/`+++` and the like are file headers;
 * inside a hunk a line is what its first character says (so a removed "-- x" stays removed).
 */
export function lineKind(line: string, inHunk: boolean): LineKind {
  if (line.startsWith('@@')) return 'hunk';
  if (!inHunk && META.test(line)) return 'meta';
  if (line.startsWith('\\')) return 'note';
  if (line.startsWith('+')) return 'add';
  if (line.startsWith('-')) return 'del';
  if (inHunk) return 'context';
  return META.test(line) ? 'meta' : 'context';
}

/** A diff as classified lines (a trailing newline gives no empty last line). */
export function diffLines(diff: string): DiffLine[] {
  const lines = diff.replace(/\n$/, '').split('\n');
  let inHunk = false;
  return lines.map((text) => {
    if (text.startsWith('diff --git ')) inHunk = false;
    const kind = lineKind(text, inHunk);
    if (kind === 'hunk') inHunk = true;
    return { kind, text };
  });
}

/** Lines added and removed by a diff. */
export function diffStats(diff: string): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const l of diffLines(diff)) {
    if (l.kind === 'add') added++;
    else if (l.kind === 'del') removed++;
  }
  return { added, removed };
}

/** Which commit of the page the query names (?commit=<40 hex>), or null. */
export function commitParam(search: string): string | null {
  const id = new URLSearchParams(search).get('commit')?.toLowerCase() ?? '';
  return COMMIT_ID.test(id) ? id : null;
}
