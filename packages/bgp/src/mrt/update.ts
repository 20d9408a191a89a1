import { decodeAttributeBlock } from '../wire/attributes';
import { familyKey } from '../wire/constants';
import { decodePrefixes, type NlriErrorMapping } from '../wire/nlri';
import type { DecodeAttributesOptions, PathAttributes, Prefix } from '../wire/types';
import { MrtRecordError } from './errors';

/**
 * The parts of an UPDATE body (RFC 4271 section 4.3) an MRT dump shows, decoded leniently: archives hold UPDATEs
 * that a live session would reject, and a dump must still show the prefixes that are readable. Prefix lists stop at
 * the first undecodable prefix (the ones before it are kept); the attributes go through the wire codec's
 * `decodeAttributeBlock`, which applies RFC 7606 and throws only for session-reset cases.
 *
 * This is a thin reading helper over the wire codec's NLRI and attribute decoders, kept in the MRT folder because
 * it serves the dump formats (bgpdump lines, per-prefix entries), not a BGP session.
 */
export interface DumpedUpdate {
  /** Withdrawn Routes (IPv4). */
  readonly withdrawn: Prefix[];
  /** The path attributes. */
  readonly attributes: PathAttributes;
  /** NLRI (IPv4). */
  readonly nlri: Prefix[];
}

const lenientState = { trailingBits: 0, firstTrailingBitsOffset: -1 };
const withdrawnMapping: NlriErrorMapping = {
  action: 'treat-as-withdraw',
  notificationSubcode: 1,
  field: 'Withdrawn Routes',
  afi: 1,
  safi: 1,
  data: undefined,
};
const nlriMapping: NlriErrorMapping = { ...withdrawnMapping, field: 'Network Layer Reachability Information' };

const optionsCache = new Map<number, DecodeAttributesOptions>();

function attributeOptions(fourOctetAsn: boolean, addPath: boolean): DecodeAttributesOptions {
  const key = (fourOctetAsn ? 1 : 0) | (addPath ? 2 : 0);
  let options = optionsCache.get(key);
  if (options === undefined) {
    const families = addPath
      ? new Set([familyKey(1, 1), familyKey(1, 2), familyKey(2, 1), familyKey(2, 2)])
      : new Set<number>();
    options = { fourOctetAsn, addPath: families };
    optionsCache.set(key, options);
  }
  return options;
}

/** Decodes prefixes until the first malformed one (which ends the list, as in bgpdump). */
function lenientPrefixes(
  bytes: Uint8Array,
  start: number,
  end: number,
  hasPathId: boolean,
  mapping: NlriErrorMapping,
): Prefix[] {
  const out: Prefix[] = [];
  try {
    decodePrefixes(bytes, start, end, 1, hasPathId, out, lenientState, mapping);
  } catch {
    // the prefixes decoded before the bad one are in `out`
  }
  return out;
}

/**
 * Decodes the UPDATE body `bytes[start, end)` (after the 19-byte header). Throws {@link MrtRecordError} when the
 * withdrawn-routes or attribute lengths overrun the body; lets the wire codec's session-reset errors through.
 */
export function decodeDumpedUpdate(
  bytes: Uint8Array,
  start: number,
  end: number,
  fourOctetAsn: boolean,
  addPath: boolean,
): DumpedUpdate {
  if (start + 2 > end) throw new MrtRecordError('UPDATE too short for Withdrawn Routes Length', start, 'UPDATE');
  const withdrawnLength = (bytes[start]! << 8) | bytes[start + 1]!;
  const withdrawnStart = start + 2;
  const withdrawnEnd = Math.min(end, withdrawnStart + withdrawnLength);
  const withdrawn = lenientPrefixes(bytes, withdrawnStart, withdrawnEnd, addPath, withdrawnMapping);
  const attributesLengthAt = withdrawnStart + withdrawnLength;
  if (attributesLengthAt + 2 > end) {
    throw new MrtRecordError('UPDATE too short for Total Path Attribute Length', attributesLengthAt, 'UPDATE');
  }
  const attributesLength = (bytes[attributesLengthAt]! << 8) | bytes[attributesLengthAt + 1]!;
  const attributesStart = attributesLengthAt + 2;
  const attributesEnd = Math.min(end, attributesStart + attributesLength);
  const attributes = decodeAttributeBlock(
    bytes,
    attributesStart,
    attributesEnd,
    attributeOptions(fourOctetAsn, addPath),
  );
  const nlri = lenientPrefixes(bytes, attributesEnd, end, addPath, nlriMapping);
  return { withdrawn, attributes, nlri };
}
