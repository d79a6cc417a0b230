// Provider base URLs may not point at link-local or cloud metadata addresses (169.254.169.254 and
// friends) unless sil.yaml sets security.allowPrivateBaseUrls: a hub holding every key of the
// platform must not become a way into the machine's own cloud credentials. The validator refuses
// literal addresses and the names that lead there (metadata-hosts.ts) in every path: API, CLI,
// pushes; the admin API also resolves host names, and the proxy checks each connection.
import type { ProviderInstance, ProviderTemplate } from '../../schemas/types.gen.ts';
import { render } from '../core/template-string.ts';
import { classifyAddress } from '../core/private-address.ts';
import { parseAddress } from '../core/cidr.ts';
import { forbiddenHostName } from './metadata-hosts.ts';
import { issue, type ConfigIssue } from './issues.ts';
import type { ConfigFile } from './config-model.ts';

/** Every base URL a provider's requests can go to, rendered with its connection values, and where it is set. */
export function providerBaseUrls(p: ProviderInstance, def: ProviderTemplate): { url: string; at: (string | number)[] }[] {
  const connection: Record<string, string | number | boolean> = {};
  for (const [name, spec] of Object.entries(def.connection ?? {})) if (spec.default !== undefined) connection[name] = spec.default;
  Object.assign(connection, p.connection ?? {});
  const fill = (text: string) => render(text, { connection }, true);
  const defAt = p.definition ? ['definition'] : ['template'];
  const out: { url: string; at: (string | number)[] }[] = [{ url: fill(p.connection?.baseUrl ?? def.baseUrl), at: p.connection?.baseUrl ? ['connection', 'baseUrl'] : [...defAt] }];
  const optionBase = p.authOption ? def.authOptions?.[p.authOption]?.baseUrl : undefined;
  if (optionBase && !p.connection?.baseUrl) out.push({ url: fill(optionBase), at: p.definition ? ['definition', 'authOptions', p.authOption!, 'baseUrl'] : [...defAt] });
  def.services.forEach((s, i) => {
    const own = p.services?.[s.id]?.baseUrl;
    if (own) out.push({ url: fill(own), at: ['services', s.id, 'baseUrl'] });
    else if (s.baseUrl) out.push({ url: fill(s.baseUrl), at: p.definition ? ['definition', 'services', i, 'baseUrl'] : [...defAt] });
  });
  for (const [from, to] of Object.entries(p.origins ?? {})) out.push({ url: to, at: ['origins', from] });
  return out;
}

/**
 * What a URL's host is when it is a link-local or metadata address — literally (in any spelling
 * the URL parser reads as one), or by a name that leads there (metadata-hosts.ts); else undefined.
 */
export function forbiddenHost(url: string): string | undefined {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return undefined; // not a URL: the schema and template checks say so
  }
  const ip = parseAddress(host.startsWith('[') ? host.slice(1, -1) : host);
  if (!ip) return forbiddenHostName(host);
  const kind = classifyAddress(ip);
  return kind === 'metadata' ? 'a cloud metadata endpoint' : kind === 'link-local' ? 'a link-local address' : undefined;
}

/** Validator issues for base URLs whose host is a link-local or metadata address, or a name leading there. */
export function baseUrlIssues(cf: ConfigFile<ProviderInstance>, def: ProviderTemplate, allowPrivate: boolean): ConfigIssue[] {
  if (allowPrivate) return [];
  const out: ConfigIssue[] = [];
  for (const { url, at } of providerBaseUrls(cf.value, def)) {
    const what = forbiddenHost(url);
    if (what) out.push(issue(cf.path, cf.file.at(at), 'SIL_BASE_URL_FORBIDDEN', `base URL ${url} points at ${what}`, 'use the provider\'s public address or host name; if the provider really lives there, set security.allowPrivateBaseUrls: true in sil.yaml'));
  }
  return out;
}
