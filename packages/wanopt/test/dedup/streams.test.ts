import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import {
  createDedupDecoderStream,
  createDedupDecoderTransformStream,
  createDedupEncoderStream,
  createDedupEncoderTransformStream,
  DedupDecoder,
  DedupEncoder,
  DedupFormatError,
} from '../../src/index';
import { pseudoRandomBytes } from '../chunking/reference';

function inputPieces(): Uint8Array[] {
  const block = pseudoRandomBytes(300_000, 41);
  const pieces: Uint8Array[] = [];
  for (const copy of [block, block, block.subarray(1000)]) {
    for (let offset = 0; offset < copy.length; offset += 7_919) pieces.push(copy.subarray(offset, offset + 7_919));
  }
  return pieces;
}

describe('stream adapters', () => {
  it('Node Transform streams carry data byte-identically, with control messages fed back', async () => {
    const pieces = inputPieces();
    const sender = createDedupEncoderStream(new DedupEncoder({ frameBytes: 64 * 1024 }));
    const receiver = createDedupDecoderStream(new DedupDecoder(), {
      onControl: (message) => {
        sender.receiveControl(message);
      },
    });
    const received: Buffer[] = [];
    await pipeline(
      Readable.from(pieces),
      sender,
      receiver,
      new Writable({
        write(chunk: Buffer, _encoding, callback) {
          received.push(chunk);
          callback();
        },
      }),
    );
    expect(Buffer.compare(Buffer.concat(received), Buffer.concat(pieces))).toBe(0);
  });

  it('WHATWG TransformStreams carry data byte-identically, flushing every write', async () => {
    const pieces = inputPieces();
    const encoder = new DedupEncoder({ compression: 'deflate' });
    const sender = createDedupEncoderTransformStream(encoder, { flushEveryWrite: true });
    const receiver = createDedupDecoderTransformStream(new DedupDecoder(), {
      onControl: (message) => {
        sender.receiveControl(message);
      },
    });
    const received: Uint8Array[] = [];
    await ReadableStream.from(pieces)
      .pipeThrough(sender)
      .pipeThrough(receiver)
      .pipeTo(new WritableStream({ write: (chunk) => void received.push(chunk) }));
    expect(Buffer.compare(Buffer.concat(received), Buffer.concat(pieces))).toBe(0);
    expect(encoder.statistics().referencedChunks).toBeGreaterThan(50);
  });

  it('a decoder stream errors with DedupFormatError on a stream cut inside a message', async () => {
    const encoder = new DedupEncoder();
    const messages = [...encoder.write(pseudoRandomBytes(10_000, 42)), ...encoder.flush()];
    const bytes = Buffer.concat(messages);
    const receiver = createDedupDecoderStream(new DedupDecoder());
    await expect(
      pipeline(
        Readable.from([bytes.subarray(0, bytes.length - 5)]),
        receiver,
        new Writable({
          write: (_chunk, _encoding, callback) => {
            callback();
          },
        }),
      ),
    ).rejects.toBeInstanceOf(DedupFormatError);
  });
});
