// Writing one named config file of a folder (bindings/, policies/) through the admin API, the
// way every editor screen does: create (POST) or replace (PUT) on the base commit the editor
// loaded, the address bar moved to the new file's page, delete back to the list.
import { api } from './api.ts';

type Folder = 'bindings' | 'policies';

/** Creates or replaces `<folder>/<name>`; answers the new commit. `field` is the body's key (binding, policy). */
export async function saveNamedFile(folder: Folder, field: string, name: string, exists: boolean, base: string, doc: unknown): Promise<string> {
  const path = `/api/${folder}`;
  const r = exists
    ? await api.send<{ commit: string }>('PUT', `${path}/${encodeURIComponent(name)}`, { base, [field]: doc })
    : await api.send<{ commit: string }>('POST', path, { base, [field]: doc });
  if (!exists) history.replaceState(null, '', `/${folder}?name=${encodeURIComponent(name)}`);
  return r.commit;
}

/** Deletes `<folder>/<name>` and goes back to the folder's list. */
export async function deleteNamedFile(folder: Folder, name: string, base: string): Promise<void> {
  await api.send('DELETE', `/api/${folder}/${encodeURIComponent(name)}`, { base });
  location.assign(`/${folder}`);
}
