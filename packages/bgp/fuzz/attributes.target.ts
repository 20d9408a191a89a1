/** Fuzz target: `decodePathAttributes` on raw attribute blocks, as the MRT reader calls it. */
import { decodePathAttributes, encodePathAttributes } from '../src/wire/attributes';
import { familyKey } from '../src/wire/constants';
import type { DecodeAttributesOptions } from '../src/wire/types';
import { realMessages } from './corpus';
import type { FuzzTarget } from './target';

const options: readonly DecodeAttributesOptions[] = [
  { fourOctetAsn: true, addPath: new Set() },
  { fourOctetAsn: false, addPath: new Set() },
  { fourOctetAsn: true, addPath: new Set([familyKey(2, 1)]), mrtAbbreviatedMpReach: true },
  { fourOctetAsn: true, addPath: new Set(), mrtAbbreviatedMpReach: true, mrtAfi: 2, mrtSafi: 1 },
];

/** The attribute blocks of the real UPDATEs. */
function seeds(): Uint8Array[] {
  const blocks: Uint8Array[] = [];
  for (const message of realMessages()) {
    if (message.length < 23 || message[18] !== 2) continue;
    const withdrawnLength = (message[19]! << 8) | message[20]!;
    const at = 21 + withdrawnLength;
    if (at + 2 > message.length) continue;
    const attributesLength = (message[at]! << 8) | message[at + 1]!;
    blocks.push(message.slice(at + 2, Math.min(message.length, at + 2 + attributesLength)));
  }
  return blocks;
}

/** Decodes under one of four option sets; decoded attributes must re-encode and decode again. */
export const target: FuzzTarget = {
  name: 'attributes',
  seeds,
  run(input: Uint8Array): void {
    const chosen = options[input.length & 3]!;
    const attributes = decodePathAttributes(input, chosen);
    const encoded = encodePathAttributes(attributes, { ...chosen, addPath: chosen.addPath });
    decodePathAttributes(encoded, chosen);
  },
};
