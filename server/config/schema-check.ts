// Runs a file's value through its JSON Schema and turns ajv's errors into positioned issues.
import type { ErrorObject } from 'ajv';
import { validators, SCHEMA_FILES, type SchemaKind } from './schemas.ts';
import { issue, type ConfigIssue } from './issues.ts';
import { pointerSegments } from './positions.ts';
import type { ParsedFile } from './parse-file.ts';

function describe(e: ErrorObject): { message: string; key: boolean; extra: string[] } {
  const field = pointerSegments(e.instancePath).join('.') || '(top level)';
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
      return { message: `unknown field "${String(p.additionalProperty)}"${field === '(top level)' ? '' : ` in ${field}`}`, key: true, extra: [String(p.additionalProperty)] };
    case 'required':
      return { message: `${field === '(top level)' ? '' : `${field}: `}missing required field "${String(p.missingProperty)}"`, key: false, extra: [] };
    case 'type':
      return { message: `${field}: must be ${String(p.type).replace(',', ' or ')}`, key: false, extra: [] };
    case 'enum':
      return { message: `${field}: must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`, key: false, extra: [] };
    case 'const':
      return { message: `${field}: must be ${JSON.stringify(p.allowedValue)}`, key: false, extra: [] };
    case 'pattern':
      return { message: `${field}: does not match the pattern ${String(p.pattern)}`, key: false, extra: [] };
    case 'discriminator':
      return { message: `${field}: unknown ${String(p.tag)} "${String(p.tagValue)}"`, key: false, extra: [] };
    case 'propertyNames':
      return { message: `${field}: invalid name "${String(p.propertyName)}"`, key: false, extra: [] };
    default:
      return { message: `${field}: ${e.message ?? 'is invalid'}`, key: false, extra: [] };
  }
}

function hintFor(kind: SchemaKind, e: ErrorObject): string {
  const schema = `.sil/schemas/${SCHEMA_FILES[kind]}`;
  if (e.keyword === 'additionalProperties') return `remove the field or fix its spelling; ${schema} lists the allowed fields`;
  if (e.keyword === 'discriminator' && e.instancePath.endsWith('/auth')) {
    return 'use one of none, bearer, header, authorization, basic, query, body, path, oauth2-client-credentials, aws-sigv4, google-service-account, hmac-signature';
  }
  if (e.keyword === 'pattern' && /\/(id|name|provider|template|policy)$/.test(e.instancePath)) {
    return 'ids are lower-case letters, digits and dashes (at most 63), starting with a letter or digit';
  }
  return `see ${schema}`;
}

/** Schema issues of one file; `[]` when it is valid. */
export function schemaIssues(kind: SchemaKind, file: ParsedFile, value: unknown = file.value): ConfigIssue[] {
  const validate = validators()[kind];
  if (validate(value)) return [];
  const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'if' && e.keyword !== 'oneOf' || (validate.errors ?? []).length === 1);
  const seen = new Set<string>();
  const out: ConfigIssue[] = [];
  for (const e of errors) {
    const d = describe(e);
    const segments = [...pointerSegments(e.instancePath), ...d.extra];
    const at = file.at(segments, d.key);
    const key = `${at.line}:${at.column}:${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(issue(file.path, at, e.keyword === 'additionalProperties' ? 'SIL_CONFIG_UNKNOWN_FIELD' : 'SIL_CONFIG_SCHEMA', d.message, hintFor(kind, e)));
  }
  return out;
}
