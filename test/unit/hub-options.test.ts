// Where the hub's data, address and port come from: flags, then SIL_* variables, then defaults.
import { describe, it, expect } from 'vitest';
import { resolve } from 'node:path';
import { hubOptions } from '../../server/main.ts';

describe('hubOptions', () => {
  it('takes flags over variables over defaults', () => {
    expect(hubOptions({}, {})).toMatchObject({ dataDir: resolve('data'), host: '127.0.0.1', port: 8080 });
    expect(hubOptions({}, { SIL_DATA: '/srv/sil', SIL_HOST: '::1', SIL_PORT: '9000' })).toMatchObject({ dataDir: '/srv/sil', host: '::1', port: 9000 });
    expect(hubOptions({ data: '/x', host: '127.0.0.2', port: '0' }, { SIL_DATA: '/srv/sil', SIL_HOST: '::1', SIL_PORT: '9000' })).toMatchObject({ dataDir: '/x', host: '127.0.0.2', port: 0 });
  });

  it('treats a variable that is set but empty as unset (an empty host would listen everywhere)', () => {
    expect(hubOptions({}, { SIL_DATA: '', SIL_HOST: '', SIL_PORT: '' })).toMatchObject({ dataDir: resolve('data'), host: '127.0.0.1', port: 8080 });
  });

  it('refuses a port that is not a number from 0 to 65535', () => {
    expect(() => hubOptions({ port: '70000' }, {})).toThrow(/invalid port "70000"/);
    expect(() => hubOptions({}, { SIL_PORT: 'http' })).toThrow(/invalid port "http"/);
  });
});
