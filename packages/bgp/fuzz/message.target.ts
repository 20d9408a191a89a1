/** Fuzz target: `decodeMessage` on one whole message, then encode/decode stability of what it returned. */
import { BgpEncodeError } from '../src/errors';
import { familyKey } from '../src/wire/constants';
import { decodeMessage, encodeMessage } from '../src/wire/message';
import type { SessionContext } from '../src/wire/types';
import { realMessages } from './corpus';
import type { FuzzTarget } from './target';

const contexts: readonly SessionContext[] = [
  { fourOctetAsn: true, addPath: new Set(), extendedMessage: false },
  { fourOctetAsn: false, addPath: new Set(), extendedMessage: true },
  { fourOctetAsn: true, addPath: new Set([familyKey(1, 1), familyKey(2, 1)]), extendedMessage: true },
  { fourOctetAsn: false, addPath: new Set([familyKey(1, 1)]), extendedMessage: false, isExternalPeer: true },
];

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, index) => byte === b[index]);
}

/**
 * Decodes a message under one of four session contexts; a message decoded without findings must re-encode to its own
 * bytes, and any decoded message must re-encode stably.
 */
export const target: FuzzTarget = {
  name: 'message',
  seeds: realMessages,
  run(input: Uint8Array): void {
    const context = contexts[input.length & 3]!;
    const message = decodeMessage(input, context);
    let encoded: Uint8Array;
    try {
      encoded = encodeMessage(message, context);
    } catch (error) {
      if (error instanceof BgpEncodeError) return;
      throw error;
    }
    // A message decoded without findings re-encodes to exactly its own bytes.
    if ((message.type !== 2 || message.errors.length === 0) && !sameBytes(encoded, input)) {
      throw new Error(
        `not byte-exact: ${Buffer.from(input).toString('hex')} became ${Buffer.from(encoded).toString('hex')}`,
      );
    }
    // What we encode we must decode, and encoding that again must give the same bytes.
    const again = encodeMessage(decodeMessage(encoded, context), context);
    if (!sameBytes(encoded, again)) {
      throw new Error(
        `unstable re-encoding: ${Buffer.from(encoded).toString('hex')} then ${Buffer.from(again).toString('hex')}`,
      );
    }
  },
};
