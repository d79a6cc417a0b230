// The OpenAPI 3.1 description of the admin API, served at /api/openapi.json: built from the
// route table and from the JSON Schemas of schemas/ (the same files the validator uses), with
// their `$defs` hoisted into components and every `$ref` rewritten to point there.
import { readFileSync } from 'node:fs';
import { readSchema, SCHEMA_FILES } from '../../config/schemas.ts';
import { apiSchemas } from './api-schemas.ts';
import { ALL_ROUTES, type RouteSpec } from './route-table.ts';
import type { Handler } from './call.ts';

type Schema = Record<string, unknown>;

const VERSION: string = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')).version;

/** `#/components/schemas/...` for a `$ref` of a schema file (`file#/pointer`, `#/$defs/x`, `file`). */
export function componentRef(ref: string, currentFile: string, titles: ReadonlyMap<string, string>): string {
  const hash = ref.indexOf('#');
  const file = hash < 0 ? ref : ref.slice(0, hash) || currentFile;
  const pointer = hash < 0 ? '' : ref.slice(hash + 1);
  const title = titles.get(file);
  if (!title) throw new Error(`${currentFile}: $ref to unknown schema file "${file}"`);
  const def = /^\/\$defs\/([^/]+)(.*)$/.exec(pointer);
  return def ? `#/components/schemas/${title}_${def[1]}${def[2]}` : `#/components/schemas/${title}${pointer}`;
}

function rewrite(node: unknown, file: string, titles: ReadonlyMap<string, string>): unknown {
  if (Array.isArray(node)) return node.map((n) => rewrite(n, file, titles));
  if (typeof node !== 'object' || node === null) return node;
  const out: Schema = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === '$schema' || k === '$id' || k === '$defs') continue;
    out[k] = k === '$ref' && typeof v === 'string' ? componentRef(v, file, titles) : rewrite(v, file, titles);
  }
  return out;
}

/** The config schemas as OpenAPI components: `<Title>` and `<Title>_<def>` for each `$defs` entry. */
export function configComponents(): Record<string, Schema> {
  const files = [...new Set(Object.values(SCHEMA_FILES))];
  const schemas = new Map(files.map((f) => [f, readSchema(f)]));
  const titles = new Map(files.map((f) => [f, String(schemas.get(f)!.title)]));
  const out: Record<string, Schema> = {};
  for (const [file, schema] of schemas) {
    const title = titles.get(file)!;
    out[title] = rewrite(schema, file, titles) as Schema;
    for (const [name, def] of Object.entries((schema.$defs ?? {}) as Record<string, unknown>)) out[`${title}_${name}`] = rewrite(def, file, titles) as Schema;
  }
  return out;
}

export const openApiPath = (path: string) => `/api${path.replace(/:(\w+)/g, '{$1}')}`;

const json = (name: string) => ({ 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } });
const errorResponse = (description: string) => ({ description, content: json('Error') });

const ERROR_RESPONSES = {
  BadRequest: errorResponse('The request is not valid (SIL_API_INPUT, SIL_API_ID, SIL_BODY_INVALID, SIL_BASE_INVALID, ...).'),
  NotFound: errorResponse('No such resource (SIL_API_NOT_FOUND, SIL_KEY_NOT_FOUND, ...).'),
  Conflict: errorResponse('SIL_GIT_CONFLICT: a file the change touches changed since `base` (details.files lists them); or the resource already exists / is in the wrong state.'),
  TooLarge: errorResponse('SIL_BODY_TOO_LARGE: the body is larger than 1 MiB.'),
  MediaType: errorResponse('SIL_BODY_MEDIA_TYPE: the body is not application/json.'),
  Invalid: errorResponse('SIL_CONFIG_INVALID: the change would make the config invalid; details.issues lists every problem with file, line and column. Nothing was written.'),
  BaseRequired: errorResponse('SIL_BASE_REQUIRED: the change does not say which commit it was based on.'),
};

function operation(r: RouteSpec): Schema {
  const write = r.method !== 'get';
  const params: Schema[] = [...r.path.matchAll(/:(\w+)/g)].map((m) => {
    const own = r.params?.[m[1]];
    return { name: m[1], in: 'path', required: true, ...(own ? { description: own.description } : {}), schema: { type: 'string', pattern: own?.pattern ?? '^[a-z0-9][a-z0-9-]{0,62}$' } };
  });
  for (const q of r.query ?? []) params.push({ name: q.name, in: 'query', required: false, description: q.description, schema: { type: q.type ?? 'string' } });
  if (write) params.push({ name: 'If-Match', in: 'header', required: false, description: 'The base commit (instead of the body field `base`).', schema: { type: 'string' } });
  const status = String(r.status ?? 200);
  const responses: Schema = { [status]: { description: r.summary, content: json(r.response) }, '400': { $ref: '#/components/responses/BadRequest' } };
  if (r.path.includes(':')) responses['404'] = { $ref: '#/components/responses/NotFound' };
  if (write) {
    Object.assign(responses, {
      '404': { $ref: '#/components/responses/NotFound' },
      '409': { $ref: '#/components/responses/Conflict' },
      '413': { $ref: '#/components/responses/TooLarge' },
      '415': { $ref: '#/components/responses/MediaType' },
      '422': { $ref: '#/components/responses/Invalid' },
      '428': { $ref: '#/components/responses/BaseRequired' },
    });
  }
  return {
    operationId: r.op,
    tags: [r.tag],
    summary: r.summary,
    ...(params.length ? { parameters: params } : {}),
    ...(r.request ? { requestBody: { required: false, content: json(r.request) } } : {}),
    responses,
  };
}

export function buildOpenApi(routes: readonly RouteSpec[] = ALL_ROUTES, version = VERSION): Schema {
  const paths: Record<string, Record<string, Schema>> = {};
  for (const r of routes) (paths[openApiPath(r.path)] ??= {})[r.method] = operation(r);
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'sil admin API',
      version,
      description: 'The owner\'s API of a sil hub (docs/api.md). GET answers carry `commit`, the live config commit; every change sends it back as `base` (body field, If-Match header or ?base=) and becomes one commit of the config repository. A change whose touched files changed since `base` answers 409 with the files; one that would make the config invalid answers 422 with every issue. Secrets go in, never out.',
    },
    servers: [{ url: '/' }],
    tags: [...new Set(routes.map((r) => r.tag))].map((name) => ({ name })),
    paths,
    components: { schemas: { ...configComponents(), ...apiSchemas() }, responses: ERROR_RESPONSES },
  };
}

export function openApiHandlers(): { 'openapi.get': Handler } {
  let doc: Schema | undefined;
  return {
    async 'openapi.get'() {
      doc ??= buildOpenApi();
      return { body: doc };
    },
  };
}
