/** Fuzz target: a byte stream cut into chunks through `BgpFramer`, each framed message decoded. */
import { BgpFramer } from '../src/wire/framer';
import { decodeMessage, defaultSessionContext } from '../src/wire/message';
import { realMessages } from './corpus';
import type { FuzzTarget } from './target';

/** Streams of several real messages back to back, so mutations hit message boundaries. */
function seeds(): Uint8Array[] {
  const messages = realMessages();
  const streams: Uint8Array[] = [];
  for (let index = 0; index + 3 <= messages.length; index += 3) {
    const parts = messages.slice(index, index + 3);
    const stream = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
    let offset = 0;
    for (const part of parts) {
      stream.set(part, offset);
      offset += part.length;
    }
    streams.push(stream);
  }
  return streams;
}

/** Feeds the input in chunks whose sizes come from the input itself, draining and decoding every message. */
export const target: FuzzTarget = {
  name: 'framer',
  seeds,
  run(input: Uint8Array): void {
    const framer = new BgpFramer({ extendedMessage: (input.length & 1) === 1, maximumBufferedBytes: 1 << 20 });
    let offset = 0;
    let step = 0;
    while (offset < input.length) {
      const size = 1 + ((input[step % input.length]! * 7 + step) % 97);
      framer.push(input.subarray(offset, offset + size));
      offset += size;
      step++;
      for (let message = framer.next(); message !== undefined; message = framer.next()) {
        decodeMessage(message, defaultSessionContext);
      }
    }
  },
};
