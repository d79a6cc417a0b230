// Loads the JSON Schemas of schemas/ and compiles one ajv validator per config kind.
import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction, type ErrorObject } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import * as precompiled from '../../schemas/validators.gen.js';

export const SCHEMA_DIR = new URL('../../schemas/', import.meta.url);

export const SCHEMA_FILES = {
  settings: 'sil.schema.json',
  template: 'provider-template.schema.json',
  provider: 'provider.schema.json',
  binding: 'binding.schema.json',
  policy: 'policy.schema.json',
  client: 'client.schema.json',
  webhook: 'webhook.schema.json',
  secrets: 'secrets.schema.json',
} as const;

export type SchemaKind = keyof typeof SCHEMA_FILES;

/** The ajv options every validator is built with (also by scripts/gen-validators.ts). */
export const AJV_OPTIONS = { allErrors: true, strict: true, useDefaults: false, allowUnionTypes: true, discriminator: true } as const;
export type { ErrorObject };

export function readSchema(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(file, SCHEMA_DIR), 'utf8'));
}

let compiled: Record<SchemaKind, ValidateFunction> | undefined;

/**
 * The validators: precompiled into schemas/validators.gen.js (`npm run gen:types`), since
 * compiling the schemas takes a quarter second at every start and every push.
 */
export function validators(): Record<SchemaKind, ValidateFunction> {
  return precompiled;
}

/** Compiles the validators from the schema files (the generator and its freshness test use it). */
export function compileValidators(): Record<SchemaKind, ValidateFunction> {
  if (compiled) return compiled;
  const ajv = new Ajv2020({ ...AJV_OPTIONS });
  const addFormats = addFormatsModule as unknown as (a: Ajv2020) => void;
  addFormats(ajv);
  for (const file of Object.values(SCHEMA_FILES)) ajv.addSchema(readSchema(file));
  const out = {} as Record<SchemaKind, ValidateFunction>;
  for (const [kind, file] of Object.entries(SCHEMA_FILES) as [SchemaKind, string][]) {
    out[kind] = ajv.getSchema(file) as ValidateFunction;
  }
  compiled = out;
  return out;
}
