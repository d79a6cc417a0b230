// List, read, create, replace, patch and delete for config files named by their `name` field
// (bindings/, policies/, clients/): one file per resource, one commit per change.
import { SilError } from '../../errors.ts';
import { checkId, objectField, onlyFields, type Call, type Handler } from './call.ts';
import { mergePatch, newFileText, ordered, readDocument, syncDocument, valueOf, writeDocument, type JsonObject } from './yaml-edit.ts';
import type { Document } from 'yaml';
import type { Repo, RepoFile } from './repo.ts';

export interface NamedKind {
  folder: 'bindings' | 'policies' | 'clients' | 'webhooks';
  schemaFile: string;
  /** The body field that holds the document, and the field of the answer: binding, policy... */
  field: string;
  /** What GET answers show of a file (default: all of it). */
  view?: (value: JsonObject) => JsonObject;
  /** Adjusts a value before it is written, given the current one (null when creating). */
  prepare?: (next: JsonObject, current: JsonObject | null) => JsonObject;
}

export interface NamedHandlers { list: Handler; get: Handler; create: Handler; replace: Handler; patch: Handler; remove: Handler }

export interface Loaded { file: RepoFile; doc: Document; value: JsonObject }

/** A file of `folder` at a commit, parsed for editing; 404 when it is not there. */
export async function loadNamed(repo: Repo, commit: string, folder: string, field: string, name: string): Promise<Loaded> {
  const file = await repo.file(commit, folder, name);
  if (!file) throw new SilError('SIL_API_NOT_FOUND', `${field} "${name}" does not exist`, { hint: `GET /api/${folder} lists what exists` });
  const doc = readDocument(file.path, file.text);
  return { file, doc, value: valueOf(doc) };
}

export function namedFileHandlers(repo: Repo, kind: NamedKind): NamedHandlers {
  const { folder, field } = kind;
  const view = kind.view ?? ((v: JsonObject) => v);
  const prepare = kind.prepare ?? ((v: JsonObject) => v);

  function sameName(input: JsonObject, name: string): void {
    if (input.name !== undefined && input.name !== name) {
      throw new SilError('SIL_API_INPUT', `the ${field}'s name is its file name (${name}); it cannot change`, { hint: `to rename, create the ${field} under the new name and delete the old one` });
    }
  }

  async function save(base: string, name: string, loaded: Loaded, next: JsonObject) {
    syncDocument(loaded.doc, { ...next, name });
    const text = writeDocument(loaded.file.path, loaded.doc);
    if (text === loaded.file.text) return { body: repo.unchanged(base) };
    return { body: await repo.commit(base, { [loaded.file.path]: text }, `${folder}: update ${name}`) };
  }

  const nameOf = (call: Call) => checkId(call.params.id, `${field} name`);

  return {
    async list() {
      const commit = await repo.readCommit();
      const model = await repo.model(commit);
      const items = [...model[folder].values()].map((cf) => view(cf.value as unknown as JsonObject));
      return { body: { commit, [folder]: items } };
    },
    async get(call) {
      const name = nameOf(call);
      const commit = await repo.readCommit();
      const { file, value } = await loadNamed(repo, commit, folder, field, name);
      return { body: { commit, path: file.path, [field]: view(value) } };
    },
    async create(call) {
      onlyFields(call.body, [field]);
      const input = objectField(call.body, field);
      const name = checkId(input.name, `${field} name`);
      const base = await call.base();
      const existing = await repo.file(base, folder, name);
      if (existing) throw new SilError('SIL_API_EXISTS', `${field} "${name}" already exists (${existing.path})`, { hint: `edit it with PUT or PATCH /api/${folder}/${name}` });
      const path = `${folder}/${name}.yaml`;
      const value = ordered(prepare(input, null), ['name']);
      const answer = await repo.commit(base, { [path]: newFileText(path, kind.schemaFile, value) }, `${folder}: add ${name}`);
      return { status: 201, body: { ...answer, path } };
    },
    async replace(call) {
      onlyFields(call.body, [field]);
      const name = nameOf(call);
      const input = objectField(call.body, field);
      sameName(input, name);
      const base = await call.base();
      const loaded = await loadNamed(repo, base, folder, field, name);
      return save(base, name, loaded, prepare(ordered({ ...input, name }, ['name']), loaded.value));
    },
    async patch(call) {
      onlyFields(call.body, [field]);
      const name = nameOf(call);
      const patch = objectField(call.body, field);
      sameName(patch, name);
      const base = await call.base();
      const loaded = await loadNamed(repo, base, folder, field, name);
      return save(base, name, loaded, prepare(mergePatch(loaded.value, patch) as JsonObject, loaded.value));
    },
    async remove(call) {
      onlyFields(call.body, []);
      const name = nameOf(call);
      const base = await call.base();
      const { file } = await loadNamed(repo, base, folder, field, name);
      return { body: await repo.commit(base, { [file.path]: null }, `${folder}: delete ${name}`) };
    },
  };
}
