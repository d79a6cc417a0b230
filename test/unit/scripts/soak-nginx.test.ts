// The soak's nginx config passes the real nginx's own check (`nginx -t`), as a user without root.
import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NGINX, nginxConfig } from '../../../scripts/soak/nginx.ts';
import { tempDir } from '../../helpers/tmp.ts';

describe.skipIf(!NGINX)('soak nginx config', () => {
  it('is valid for nginx, round-robins over every instance, passes a failed connection on and streams unbuffered', () => {
    const tmp = tempDir('sil-soak-nginx-');
    try {
      mkdirSync(join(tmp.path, 'tmp'), { recursive: true });
      const text = nginxConfig({ prefix: tmp.path, listenPort: 18080, upstreamPorts: [18081, 18082, 18083] });
      const conf = join(tmp.path, 'nginx.conf');
      writeFileSync(conf, text);
      const out = execFileSync(NGINX!, ['-t', '-p', tmp.path, '-c', conf, '-e', join(tmp.path, 'error.log')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 });
      expect(out).toBe('');
      for (const port of [18081, 18082, 18083]) expect(text).toContain(`server 127.0.0.1:${port} max_fails=1 fail_timeout=2s;`);
      expect(text).toContain('listen 127.0.0.1:18080;');
      expect(text).toContain('proxy_next_upstream error timeout;');
      expect(text).toContain('proxy_next_upstream_tries 3;');
      expect(text).toContain('proxy_buffering off;');
      expect(text).toMatch(/^daemon off;/);
      // Nothing outside its folder: no path that a user without root cannot write.
      for (const m of text.matchAll(/ (\/[^\s;]+)/g)) expect(m[1]!.startsWith(tmp.path), m[1]).toBe(true);
    } finally {
      tmp.cleanup();
    }
  });
});
