// Where the validator reads config files from: a commit (isomorphic-git or native git) or a directory.

export interface TreeEntry {
  /** Repository-relative path with forward slashes. */
  path: string;
  /** Blob id (git) or a content stamp (directory); equal ids mean equal content. */
  id: string;
  /** Size in bytes when the source knows it before reading. */
  size?: number;
  kind: 'file' | 'dir' | 'other';
}

export interface ConfigSource {
  /** Shown in messages: a commit id or a directory. */
  readonly label: string;
  /** Every entry at the root and inside the config folders (one level). */
  list(): Promise<TreeEntry[]>;
  /** Contents of the given files, in the same order. */
  read(entries: readonly TreeEntry[]): Promise<Uint8Array[]>;
}

/** The folders sil reads, each holding <name>.yaml / .yml / .json files. */
export const CONFIG_DIRS = ['providers', 'secrets', 'bindings', 'policies', 'clients', 'webhooks'] as const;
export type ConfigDir = (typeof CONFIG_DIRS)[number];
