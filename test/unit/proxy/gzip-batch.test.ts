// Gzip answers of one event-loop turn decoded with one zlib object, split by their sizes; any
// doubt (several members in one body, a corrupt body, a size above the limit) decodes each alone.
import { describe, it, expect } from 'vitest';
import { gzipSync } from 'node:zlib';
import { GzipBatch } from '../../../server/proxy/gzip-batch.ts';

const body = (i: number) => Buffer.from(JSON.stringify({ id: `c${i}`, usage: { completion_tokens: i } }));

describe('gzip batch', () => {
  it('decodes the bodies of one turn together and hands each its own', async () => {
    const batch = new GzipBatch(1 << 20);
    const outs = await Promise.all(Array.from({ length: 20 }, (_, i) => batch.decode(gzipSync(body(i)))));
    outs.forEach((out, i) => expect(out).toEqual(body(i)));
  });

  it('falls back to one by one for a body of two members, a corrupt body and an empty one', async () => {
    const batch = new GzipBatch(1 << 20);
    const twoMembers = Buffer.concat([gzipSync('{"a":'), gzipSync('1}')]);
    const outs = await Promise.all([batch.decode(gzipSync(body(1))), batch.decode(twoMembers), batch.decode(Buffer.from('garbage, not gzip at all')), batch.decode(Buffer.alloc(0)), batch.decode(gzipSync(body(2)))]);
    expect(outs).toEqual([body(1), Buffer.from('{"a":1}'), undefined, undefined, body(2)]);
  });

  it('refuses a body that decodes past the limit, alone or in a batch', async () => {
    const batch = new GzipBatch(1000);
    const big = gzipSync(Buffer.alloc(5000, 'x'));
    const outs = await Promise.all([batch.decode(big), batch.decode(gzipSync(body(3)))]);
    expect(outs).toEqual([undefined, body(3)]);
    // A trailer that lies about the size does not get past the limit either.
    const lying = Buffer.from(big);
    lying.writeUInt32LE(10, lying.length - 4);
    expect(await Promise.all([batch.decode(lying), batch.decode(gzipSync(body(4)))])).toEqual([undefined, body(4)]);
  });
});
