// The remote config repository a hub follows (sil.yaml `remote:`), with its defaults applied,
// and the names sync uses for it: the remote-tracking ref and the URL as logs and alerts show it.
import type { HubSettings } from '../../schemas/types.gen.ts';

export interface RemoteSettings {
  url: string;
  branch: string;
  pullIntervalMs: number;
  push: boolean;
}

export function remoteSettingsOf(settings: Readonly<HubSettings> | undefined | null): RemoteSettings | null {
  const r = settings?.remote;
  if (!r) return null;
  return { url: r.url, branch: r.branch ?? 'main', pullIntervalMs: (r.pullIntervalSeconds ?? 30) * 1000, push: r.push ?? true };
}

export function sameRemote(a: RemoteSettings | null, b: RemoteSettings | null): boolean {
  if (!a || !b) return a === b;
  return a.url === b.url && a.branch === b.branch && a.pullIntervalMs === b.pullIntervalMs && a.push === b.push;
}

/** Where the fetched remote branch is kept in DATA/config.git. */
export function trackingRef(branch: string): string {
  return `refs/remotes/sil-remote/${branch}`;
}

/**
 * The URL without user information (`https://user:token@host/...` → `https://host/...`): in an
 * http(s) URL it is a credential. The schema refuses `@` there; this guards logs all the same.
 * An SSH user (`git@host:path`) is no secret and stays.
 */
export function displayRemote(url: string): string {
  return url.replace(/^(https?:\/\/)[^/@\s]*@/i, '$1');
}

/** Removes user information from every http(s) URL in a text (git's error messages quote the URL). */
export function withoutCredentials(text: string): string {
  return text.replace(/(https?:\/\/)[^/@\s'"]*@/gi, '$1');
}
