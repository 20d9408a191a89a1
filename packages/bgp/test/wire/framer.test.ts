import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { concatBytes } from '@patronus-internal/test-support';
import { BgpError, BgpFramer, BgpFramingError, encodeMessage, keepaliveMessage } from '../../src/index';
import { bgpMessageArbitrary } from '@patronus/bgp/testing';

const context = { fourOctetAsn: true, addPath: new Set<number>(), extendedMessage: false };

function drain(framer: BgpFramer): Uint8Array[] {
  const messages: Uint8Array[] = [];
  for (let message = framer.next(); message !== undefined; message = framer.next()) messages.push(message);
  return messages;
}

describe('BgpFramer', () => {
  test.prop([
    fc.array(bgpMessageArbitrary(), { minLength: 1, maxLength: 8 }),
    fc.array(fc.integer({ min: 1, max: 200 }), { minLength: 1 }),
  ])('cuts any chunking of a stream back into the same messages', (messages, sizes) => {
    const encoded = messages.map((message) => encodeMessage(message, context));
    const stream = concatBytes(encoded);
    const framer = new BgpFramer();
    const out: Uint8Array[] = [];
    for (let offset = 0, index = 0; offset < stream.length; index++) {
      const size = sizes[index % sizes.length]!;
      framer.push(stream.subarray(offset, offset + size));
      offset += size;
      out.push(...drain(framer));
    }
    expect(out).toEqual(encoded);
    expect(framer.bufferedBytes).toBe(0);
    expect(framer.streamOffset).toBe(stream.length);
  });

  it('returns a zero-copy view when a message lies inside one chunk, and copies one that spans chunks', () => {
    const keepalive = encodeMessage(keepaliveMessage, context);
    const chunk = concatBytes([keepalive, keepalive]);
    const framer = new BgpFramer();
    framer.push(chunk);
    const [first, second] = drain(framer);
    expect(first!.buffer).toBe(chunk.buffer);
    expect(second!.byteOffset).toBe(chunk.byteOffset + 19);
    framer.push(keepalive.subarray(0, 10));
    expect(framer.next()).toBeUndefined();
    framer.push(keepalive.subarray(10));
    const spanning = framer.next()!;
    expect(spanning.buffer).not.toBe(keepalive.buffer);
    expect(spanning).toEqual(keepalive);
  });

  it('names the stream offset of a bad marker and keeps failing (RFC 4271 6.1: Connection Not Synchronized)', () => {
    const keepalive = encodeMessage(keepaliveMessage, context);
    const broken = keepalive.slice();
    broken[3] = 0;
    const framer = new BgpFramer();
    framer.push(concatBytes([keepalive, keepalive, broken]));
    expect(drain.bind(undefined, framer)).toThrow(BgpFramingError);
    let error: unknown;
    try {
      framer.next();
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({
      code: 'ERR_BGP_FRAMING',
      streamOffset: 38,
      notificationCode: 1,
      notificationSubcode: 1,
    });
  });

  it('refuses lengths beyond 4096 until RFC 8654 extended messages are negotiated', () => {
    const header = new Uint8Array(19).fill(0xff);
    header[16] = 0x10;
    header[17] = 0x01; // 4097
    header[18] = 2;
    const strict = new BgpFramer();
    strict.push(header);
    expect(() => strict.next()).toThrow(/4097 outside 19..4096/);
    const extended = new BgpFramer();
    extended.setExtendedMessage(true);
    extended.push(header);
    expect(extended.next()).toBeUndefined();
    expect(extended.bufferedBytes).toBe(19);
  });

  it('bounds its memory: a push beyond the bound throws', () => {
    const framer = new BgpFramer({ maximumBufferedBytes: 100 });
    framer.push(new Uint8Array(60).fill(0xff));
    expect(() => {
      framer.push(new Uint8Array(60));
    }).toThrow(BgpError);
  });

  it('frames an async stream and reports a stream that ends inside a message', async () => {
    const keepalive = encodeMessage(keepaliveMessage, context);
    async function* source(): AsyncGenerator<Uint8Array> {
      await Promise.resolve();
      yield keepalive.subarray(0, 5);
      yield concatBytes([keepalive.subarray(5), keepalive.subarray(0, 3)]);
    }
    const seen: Uint8Array[] = [];
    await expect(async () => {
      for await (const message of BgpFramer.messages(source())) seen.push(message);
    }).rejects.toThrow(/stream ended inside a message/);
    expect(seen).toEqual([keepalive]);
  });
});
