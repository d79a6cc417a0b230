// The connection limit, against a hub in a process with a small open-files limit: by default the
// hub keeps a quarter (at least 512) of its descriptors and refuses connections beyond the rest,
// saying so once in the log (docs/network-limits.md).
import { describe, it, expect, afterEach } from 'vitest';
import { socketCountOf, startChild, type LineChild } from '../../helpers/line-child.ts';
import { healthzOnce, until } from '../../helpers/probe.ts';
import { maxConnectionsFor } from '../../../server/http/server-limits.ts';

describe('connection limit', () => {
  const children: LineChild[] = [];
  afterEach(async () => {
    for (const c of children.reverse()) await c.stop();
    children.length = 0;
  });

  async function hubWith(maxOpenFiles: number) {
    const hub = startChild('hub.ts', ['{}'], { maxOpenFiles });
    children.push(hub);
    return { child: hub, ...(await hub.line<{ url: string; pid: number }>((l) => 'url' in l, 20_000)) };
  }

  it('derives the limit from the open-files limit and refuses connections beyond it', async () => {
    const max = maxConnectionsFor(1024);
    const hub = await hubWith(1024);
    const own = socketCountOf(hub.pid); // the listening socket and the stdio pipes
    const holder = startChild('idle-connections.ts', [new URL(hub.url).port, String(max + 40)]);
    children.push(holder);
    await holder.line((l) => 'opened' in l, 20_000);
    // The 40 beyond the limit are accepted and closed at once; the rest are held.
    const refused = await holder.line<{ closed: number; maxLifeMs: number; got408: number }>((l) => typeof l.closed === 'number' && l.closed >= 40, 5000);
    expect(refused.closed).toBe(40);
    expect(refused.got408).toBe(0);
    await until(`the hub holding ${max} connections`, () => socketCountOf(hub.pid) === own + max, 2000);
    await until('the refusal in the log', () => hub.child.stderr().includes('http: refused a connection: '), 2000);
    expect(hub.child.stderr()).toContain(`${max} are open, the limit; raise the open-files limit (ulimit -n)`);
    expect(hub.child.stderr().match(/http: refused/g)).toHaveLength(1);
    await holder.stop();
    await until('the hub releasing the connections', () => socketCountOf(hub.pid) === own, 5000);
    expect((await healthzOnce(hub.url)).status).toBe(200);
  }, 40_000);
});
