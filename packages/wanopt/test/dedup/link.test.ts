import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  compress,
  DedupDecoder,
  type DedupDecoderOptions,
  DedupEncoder,
  type DedupEncoderOptions,
  DedupFormatError,
  DedupIntegrityError,
  DedupMissingChunkError,
  DedupProtocolError,
  decompress,
  FastCdcChunker,
  RabinChunker,
  WanoptError,
} from '../../src/index';
import { pseudoRandomBytes } from '../chunking/reference';

function concatenate(parts: readonly Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

/** A link with in-order delivery both ways, stepped in an order chosen by `choose`. */
class Link {
  encoder: DedupEncoder;
  decoder: DedupDecoder;
  readonly toDecoder: Uint8Array[] = [];
  readonly toEncoder: Uint8Array[] = [];
  readonly output: Uint8Array[] = [];
  readonly lost: DedupMissingChunkError[] = [];

  constructor(
    readonly encoderOptions: () => DedupEncoderOptions,
    readonly decoderOptions: DedupDecoderOptions,
    readonly choose: (n: number) => number,
  ) {
    this.encoder = new DedupEncoder(encoderOptions());
    this.decoder = new DedupDecoder(decoderOptions);
  }

  /** Delivers one message to the decoder, in up to three pieces (the stream carries no message boundaries). */
  private deliverToDecoder(): void {
    const message = this.toDecoder.shift()!;
    // Often whole (the decoder then works on views of the caller's buffer), otherwise cut at two random points.
    const whole = this.choose(2) === 0;
    const first = whole ? message.length : this.choose(message.length + 1);
    const second = whole ? message.length : first + this.choose(message.length - first + 1);
    for (const piece of [message.subarray(0, first), message.subarray(first, second), message.subarray(second)]) {
      const result = this.decoder.receive(piece);
      this.output.push(...result.output);
      this.lost.push(...result.lost);
      this.toEncoder.push(...result.control);
    }
    // A transport may reuse its buffers once receive returns: the decoder must not depend on them.
    message.fill(0xee);
  }

  step(): boolean {
    const canDecode = this.toDecoder.length > 0;
    const canEncode = this.toEncoder.length > 0;
    if (!canDecode && !canEncode) return false;
    if (canDecode && (!canEncode || this.choose(2) === 0)) this.deliverToDecoder();
    else this.toDecoder.push(...this.encoder.receive(this.toEncoder.shift()!));
    return true;
  }

  /** Runs until nothing is in flight. */
  settle(): void {
    while (this.step());
  }

  write(data: Uint8Array): void {
    this.toDecoder.push(...this.encoder.write(data));
  }

  flush(): void {
    this.toDecoder.push(...this.encoder.flush());
  }
}

/** Data with plenty of repeats: pieces of a few random blocks, some edited. */
const repetitiveData = fc
  .tuple(
    // fast-check keeps generated arrays short; seeded blocks give the kilobytes chunking needs.
    fc.array(
      fc
        .tuple(fc.integer({ min: 1, max: 6000 }), fc.integer())
        .map(([length, seed]) => pseudoRandomBytes(length, seed)),
      { minLength: 1, maxLength: 4 },
    ),
    fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 4000 }), fc.integer({ min: 1, max: 4000 }), fc.boolean()), {
      minLength: 1,
      maxLength: 25,
    }),
  )
  .map(([blocks, picks]) =>
    picks.map(([which, from, length, edit]) => {
      const block = blocks[which % blocks.length]!;
      const start = from % block.length;
      const piece = block.slice(start, start + length);
      if (edit && piece.length > 0) piece[piece.length >> 1] = piece[piece.length >> 1]! ^ 0x5a;
      return piece;
    }),
  );

const events = fc.array(fc.constantFrom('none', 'none', 'none', 'flush', 'restart-decoder', 'restart-encoder'), {
  maxLength: 25,
});

describe('DedupEncoder / DedupDecoder link', () => {
  test.prop(
    [
      repetitiveData,
      events,
      fc.integer({ min: 0, max: 40_000 }),
      fc.option(fc.integer({ min: 0, max: 40_000 }), { nil: undefined }),
      fc.constantFrom('fastcdc', 'rabin'),
      fc.constantFrom('none', 'deflate', 'brotli'),
      fc.integer({ min: 0, max: 20_000 }),
      fc.integer({ min: 1, max: 3 }),
      fc.integer(),
    ],
    { numRuns: 200 },
  )(
    'rebuilds byte-identical data for any store sizes, evictions, store mismatch and restarts on either side',
    (pieces, schedule, capacity, decoderCapacity, algorithm, compression, unacknowledged, acknowledgeEvery, seed) => {
      let random = seed >>> 0 || 1;
      const choose = (n: number): number => {
        random = (Math.imul(random, 1103515245) + 12345) >>> 0;
        return n <= 1 ? 0 : (random >>> 8) % n;
      };
      const chunker = (): FastCdcChunker | RabinChunker =>
        algorithm === 'fastcdc'
          ? new FastCdcChunker({ averageSize: 256, minimumSize: 64, maximumSize: 1024 })
          : new RabinChunker({ averageSize: 256, minimumSize: 64, maximumSize: 1024, windowSize: 16 });
      const link = new Link(
        () => ({
          chunker: chunker(),
          capacityBytes: capacity,
          compression,
          maximumUnacknowledgedBytes: unacknowledged,
          frameBytes: 1500,
        }),
        {
          acknowledgeEveryFrames: acknowledgeEvery,
          ...(decoderCapacity === undefined ? {} : { maximumCapacityBytes: decoderCapacity }),
        },
        choose,
      );
      for (let index = 0; index < pieces.length; index++) {
        link.write(pieces[index]!);
        for (let stepCount = choose(6); stepCount > 0 && link.step(); stepCount--);
        const event = schedule[index] ?? 'none';
        if (event === 'flush') link.flush();
        if (event === 'restart-decoder' && !link.decoder.isWaiting) {
          // The receiver loses its store; frames already in flight reach the new decoder.
          link.decoder = new DedupDecoder(link.decoderOptions);
        }
        if (event === 'restart-encoder') {
          // The sender restarts between messages: what it wrote is out (flushed and settled), its state is gone.
          link.flush();
          link.settle();
          link.encoder = new DedupEncoder(link.encoderOptions());
        }
      }
      link.flush();
      link.settle();
      expect(link.lost).toEqual([]);
      expect(link.decoder.isWaiting).toBe(false);
      expect(Buffer.compare(concatenate(link.output), concatenate(pieces))).toBe(0);
    },
  );

  it('sends a repeated stream as references, and the decoder counts the bytes saved', () => {
    const data = pseudoRandomBytes(2 * 1024 * 1024, 21);
    const link = new Link(
      () => ({}),
      {},
      () => 0,
    );
    link.write(data);
    link.write(data);
    link.flush();
    link.settle();
    expect(Buffer.compare(concatenate(link.output), Buffer.concat([data, data]))).toBe(0);
    const statistics = link.encoder.statistics();
    expect(statistics.referencedChunks).toBeGreaterThanOrEqual(statistics.literalChunks - 4);
    // The second copy costs 37 bytes per ~4 KiB chunk.
    expect(statistics.outputBytes).toBeLessThan(data.length * 1.05);
    expect(link.decoder.statistics().store.bytesSaved).toBeGreaterThan(data.length * 0.99);
  });

  it('after a decoder restart asks for what it misses (REQUEST) and resets the epoch (RESET), losing nothing', () => {
    const data = pseudoRandomBytes(600_000, 22);
    const link = new Link(
      () => ({ frameBytes: 64 * 1024 }),
      {},
      () => 0,
    );
    link.write(data);
    link.flush();
    link.settle();
    link.decoder = new DedupDecoder();
    link.write(data);
    link.flush();
    link.settle();
    link.write(data);
    link.flush();
    link.settle();
    expect(Buffer.compare(concatenate(link.output), Buffer.concat([data, data, data]))).toBe(0);
    const decoder = link.decoder.statistics();
    expect(decoder.resets).toBe(1);
    expect(decoder.requestedChunks).toBeGreaterThan(0);
    expect(link.encoder.statistics().epochs).toBe(2);
    // After the new epoch the stores agree again: the third copy is all references, nothing asked.
    expect(link.encoder.statistics().suppliedChunks).toBe(decoder.requestedChunks);
  });

  it('reports frames lost when the encoder restarts before answering a REQUEST, and never emits their bytes', () => {
    const data = pseudoRandomBytes(300_000, 23);
    const link = new Link(
      () => ({ frameBytes: 32 * 1024 }),
      {},
      () => 0,
    );
    link.write(data);
    link.flush();
    link.settle();
    link.decoder = new DedupDecoder(); // lost its store
    link.write(data); // all references now
    link.flush();
    // Deliver the frames, but the control messages (REQUEST, RESET) go to an encoder that then dies.
    while (link.toDecoder.length > 0) link.step();
    link.toEncoder.length = 0;
    link.encoder = new DedupEncoder({ frameBytes: 32 * 1024 });
    const fresh = pseudoRandomBytes(50_000, 24);
    link.write(fresh);
    link.flush();
    link.settle();
    expect(link.lost.length).toBeGreaterThan(0);
    expect(link.lost[0]).toBeInstanceOf(DedupMissingChunkError);
    expect(link.lost[0]!.code).toBe('ERR_WANOPT_DEDUP_MISSING_CHUNK');
    // First copy, then only the new encoder's data: nothing invented for the lost frames.
    expect(Buffer.compare(concatenate(link.output), Buffer.concat([data, fresh]))).toBe(0);
  });

  it('rejects a corrupted literal with DedupIntegrityError and emits nothing of its frame', () => {
    const data = pseudoRandomBytes(20_000, 25);
    const encoder = new DedupEncoder({ returnChannel: false });
    const messages = [...encoder.write(data), ...encoder.flush()];
    const frame = messages[1]!;
    frame[frame.length - 10] = frame[frame.length - 10]! ^ 1; // inside the last literal's bytes
    const decoder = new DedupDecoder({ returnChannel: false });
    expect(decoder.receive(messages[0]!).output).toEqual([]);
    expect(() => decoder.receive(frame)).toThrow(DedupIntegrityError);
  });

  it('without a return channel, a reference to a chunk the decoder lacks is a DedupMissingChunkError', () => {
    const data = pseudoRandomBytes(20_000, 26);
    const encoder = new DedupEncoder({ returnChannel: false });
    const first = [...encoder.write(data), ...encoder.flush()];
    const second = [...encoder.write(data), ...encoder.flush()];
    const decoder = new DedupDecoder({ returnChannel: false });
    decoder.receive(first[0]!); // HELLO only: the store never got the literals
    expect(() => decoder.receive(second[0]!)).toThrow(DedupMissingChunkError);
  });

  it('throws DedupProtocolError when frames pile up behind one whose REQUEST is never answered', () => {
    const data = pseudoRandomBytes(200_000, 30);
    const encoder = new DedupEncoder({ frameBytes: 16 * 1024 });
    const first = [...encoder.write(data), ...encoder.flush()];
    const second = [...encoder.write(data), ...encoder.flush()];
    const decoder = new DedupDecoder({ maximumWaitingBytes: 500 }); // reference-only frames are ~150 bytes
    decoder.receive(first[0]!); // HELLO only: it never got the literals, and its REQUESTs go nowhere
    expect(() => {
      for (const message of second) decoder.receive(message);
    }).toThrow(DedupProtocolError);
  });

  it('turns malformed input into DedupFormatError with the field and offset', () => {
    const decoder = new DedupDecoder();
    expect(() => decoder.receive(new Uint8Array([0x7f, 0, 0, 0, 0]))).toThrow(DedupFormatError);
    const tooLong = new DedupDecoder({ maximumFrameBytes: 1024 });
    try {
      tooLong.receive(new Uint8Array([0x02, 0x7f, 0xff, 0xff, 0xff]));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(WanoptError);
      expect((error as DedupFormatError).field).toBe('message length');
      expect((error as DedupFormatError).offset).toBe(1);
    }
    const hello = new DedupEncoder().flush()[0]!;
    hello[5] = 9; // version
    expect(() => new DedupDecoder().receive(hello)).toThrow(/version 9/);
  });

  test.prop([fc.uint8Array({ maxLength: 400 }), fc.nat()], { numRuns: 300 })(
    'never crashes on arbitrary bytes after a valid prefix: output or a typed error',
    (garbage, cut) => {
      const encoder = new DedupEncoder({ returnChannel: false, compression: 'deflate' });
      const valid = concatenate([...encoder.write(pseudoRandomBytes(5000, 27)), ...encoder.flush()]);
      const input = concatenate([valid.subarray(0, cut % (valid.length + 1)), garbage]);
      const decoder = new DedupDecoder({ returnChannel: false, maximumFrameBytes: 1 << 20 });
      try {
        decoder.receive(input);
        decoder.end();
      } catch (error) {
        expect(error).toBeInstanceOf(WanoptError);
      }
    },
  );
});

describe('compress / decompress', () => {
  test.prop([repetitiveData, fc.constantFrom('none', 'deflate', 'brotli'), fc.constantFrom('fastcdc', 'rabin')], {
    numRuns: 40,
  })('round-trip any buffer byte-identically', (pieces, compression, chunker) => {
    const data = concatenate(pieces);
    expect(Buffer.compare(decompress(compress(data, { compression, chunker })), data)).toBe(0);
  });

  it('store a repeated buffer in little more than one copy', () => {
    const block = pseudoRandomBytes(1024 * 1024, 28);
    const data = concatenate([block, block, block, block]);
    const packed = compress(data, { compression: 'none' });
    expect(packed.length).toBeLessThan(block.length * 1.05);
    expect(Buffer.compare(decompress(packed), data)).toBe(0);
  });

  it('round-trip an empty buffer', () => {
    expect(decompress(compress(new Uint8Array(0))).length).toBe(0);
  });

  it('refuse truncated input and output over the limit with DedupFormatError', () => {
    const packed = compress(pseudoRandomBytes(50_000, 29));
    expect(() => decompress(packed.subarray(0, packed.length - 3))).toThrow(DedupFormatError);
    expect(() => decompress(packed, { maximumOutputBytes: 1000 })).toThrow(DedupFormatError);
  });
});
