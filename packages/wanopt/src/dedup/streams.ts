import type * as NodeStream from 'node:stream';
import type { Transform, TransformCallback } from 'node:stream';
import { type DedupDecoder } from './decoder';
import { type DedupEncoder } from './encoder';
import { DedupOptionsError } from './errors';

/** Options of the encoder stream adapters. */
export interface DedupEncoderStreamOptions {
  /**
   * Flush after every write (each write's bytes go out at once, at the cost of a forced chunk boundary per write):
   * for interactive links. Default false (bytes wait for a chunk boundary and a full frame; all go out at the end).
   */
  readonly flushEveryWrite?: boolean;
}

/** Options of the decoder stream adapters. */
export interface DedupDecoderStreamOptions {
  /** Receives each control message for the encoder (ACKNOWLEDGE, REQUEST, RESET); send it back over the link. */
  readonly onControl?: (message: Uint8Array) => void;
}

/** A Node Transform from application bytes to dedup messages, taking the decoder's control messages back. */
export type DedupEncoderNodeStream = Transform & {
  /**
   * Passes control bytes from the decoder to the encoder; answers are pushed into this stream's output. Answers to
   * control that arrives after the stream ended are dropped: with a decoder that may restart, end this stream only once
   * `encoder.statistics().unacknowledgedBytes` is 0.
   */
  receiveControl(control: Uint8Array): void;
};

/** A WHATWG TransformStream from application bytes to dedup messages, taking the decoder's control messages back. */
export type DedupEncoderTransformStream = TransformStream<Uint8Array, Uint8Array> & {
  /** Passes control bytes from the decoder to the encoder; answers are enqueued into this stream's output. */
  receiveControl(control: Uint8Array): void;
};

function nodeStreamModule(): typeof NodeStream {
  const getBuiltinModule = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
    ?.getBuiltinModule;
  const module =
    typeof getBuiltinModule === 'function'
      ? (getBuiltinModule('node:stream') as typeof NodeStream | undefined)
      : undefined;
  if (module === undefined) throw new DedupOptionsError('stream', 'Node streams need node:stream');
  return module;
}

/**
 * Wraps a {@link DedupEncoder} as a Node Transform stream (bytes in, dedup messages out).
 *
 * @example
 * const sender = createDedupEncoderStream(new DedupEncoder());
 * source.pipe(sender).pipe(socket);
 * controlSocket.on('data', (bytes) => sender.receiveControl(bytes));
 */
export function createDedupEncoderStream(
  encoder: DedupEncoder,
  options: DedupEncoderStreamOptions = {},
): DedupEncoderNodeStream {
  const { Transform } = nodeStreamModule();
  const flushEveryWrite = options.flushEveryWrite ?? false;
  const stream = new Transform({
    transform(chunk: Uint8Array, _encoding: BufferEncoding, callback: TransformCallback): void {
      try {
        for (const message of encoder.write(chunk)) this.push(message);
        if (flushEveryWrite) for (const message of encoder.flush()) this.push(message);
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    flush(callback: TransformCallback): void {
      try {
        for (const message of encoder.flush()) this.push(message);
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
  }) as DedupEncoderNodeStream;
  stream.receiveControl = (control: Uint8Array): void => {
    try {
      const answers = encoder.receive(control);
      if (stream.readableEnded || stream.destroyed) return;
      for (const message of answers) stream.push(message);
    } catch (error) {
      stream.destroy(error as Error);
    }
  };
  return stream;
}

/**
 * Wraps a {@link DedupDecoder} as a Node Transform stream (dedup messages in, application bytes out). A lost frame
 * or malformed input destroys the stream with the typed error.
 *
 * @example
 * socket.pipe(createDedupDecoderStream(new DedupDecoder(), { onControl: (m) => controlSocket.write(m) })).pipe(sink);
 */
export function createDedupDecoderStream(decoder: DedupDecoder, options: DedupDecoderStreamOptions = {}): Transform {
  const { Transform } = nodeStreamModule();
  const onControl = options.onControl;
  return new Transform({
    transform(chunk: Uint8Array, _encoding: BufferEncoding, callback: TransformCallback): void {
      try {
        const result = decoder.receive(chunk);
        for (const output of result.output) this.push(output);
        if (onControl !== undefined) for (const message of result.control) onControl(message);
        callback(result.lost[0]);
      } catch (error) {
        callback(error as Error);
      }
    },
    flush(callback: TransformCallback): void {
      try {
        decoder.end();
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
  });
}

/**
 * Wraps a {@link DedupEncoder} as a WHATWG TransformStream (works in browsers; compression needs `node:zlib`).
 *
 * @example
 * const sender = createDedupEncoderTransformStream(new DedupEncoder());
 * await source.pipeThrough(sender).pipeTo(link);
 */
export function createDedupEncoderTransformStream(
  encoder: DedupEncoder,
  options: DedupEncoderStreamOptions = {},
): DedupEncoderTransformStream {
  const flushEveryWrite = options.flushEveryWrite ?? false;
  let controller: TransformStreamDefaultController<Uint8Array> | undefined;
  const stream = new TransformStream<Uint8Array, Uint8Array>({
    start(started: TransformStreamDefaultController<Uint8Array>): void {
      controller = started;
    },
    transform(chunk: Uint8Array, active: TransformStreamDefaultController<Uint8Array>): void {
      for (const message of encoder.write(chunk)) active.enqueue(message);
      if (flushEveryWrite) for (const message of encoder.flush()) active.enqueue(message);
    },
    flush(active: TransformStreamDefaultController<Uint8Array>): void {
      for (const message of encoder.flush()) active.enqueue(message);
    },
  }) as DedupEncoderTransformStream;
  stream.receiveControl = (control: Uint8Array): void => {
    try {
      for (const message of encoder.receive(control)) controller?.enqueue(message);
    } catch (error) {
      controller?.error(error);
    }
  };
  return stream;
}

/**
 * Wraps a {@link DedupDecoder} as a WHATWG TransformStream (dedup messages in, application bytes out); a lost frame
 * or malformed input errors the stream with the typed error.
 *
 * @example
 * await link.pipeThrough(createDedupDecoderTransformStream(new DedupDecoder(), { onControl: send })).pipeTo(sink);
 */
export function createDedupDecoderTransformStream(
  decoder: DedupDecoder,
  options: DedupDecoderStreamOptions = {},
): TransformStream<Uint8Array, Uint8Array> {
  const onControl = options.onControl;
  return new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk: Uint8Array, controller: TransformStreamDefaultController<Uint8Array>): void {
      const result = decoder.receive(chunk);
      for (const output of result.output) controller.enqueue(output);
      if (onControl !== undefined) for (const message of result.control) onControl(message);
      if (result.lost[0] !== undefined) throw result.lost[0];
    },
    flush(): void {
      decoder.end();
    },
  });
}
