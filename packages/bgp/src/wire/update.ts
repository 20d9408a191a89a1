import { BgpDecodeError, BgpEncodeError } from '../errors';
import { decodeAttributeBlock, writePathAttributes } from './attributes';
import { familyKey } from './constants';
import { decodePrefixes, type NlriDecodeState, type NlriErrorMapping, writePrefixes } from './nlri';
import type { PathAttributes, Prefix, SessionContext, UpdateMessage } from './types';
import type { ByteWriter } from './writer';

const ipv4UnicastKey = familyKey(1, 1);
const emptyPrefixes: readonly Prefix[] = Object.freeze([]);

function malformedAttributeList(message: string, offset: number, field: string): BgpDecodeError {
  return new BgpDecodeError('ERR_BGP_MALFORMED_UPDATE', message, {
    action: 'session-reset',
    notificationCode: 3,
    notificationSubcode: 1,
    offset,
    field,
  });
}

class PrefixState implements NlriDecodeState {
  trailingBits = 0;
  firstTrailingBitsOffset = -1;
}

const prefixState = new PrefixState();

/** RFC 7606 section 5.3: a syntactically incorrect Withdrawn Routes or NLRI field resets the session. */
const withdrawnMapping: NlriErrorMapping = {
  action: 'session-reset',
  notificationSubcode: 10,
  field: 'Withdrawn Routes',
  afi: 1,
  safi: 1,
  data: undefined,
};
const nlriMapping: NlriErrorMapping = { ...withdrawnMapping, field: 'Network Layer Reachability Information' };

function missingAttribute(typeCode: number, name: string, offset: number): BgpDecodeError {
  // RFC 7606 section 3 (d): a missing well-known mandatory attribute means treat-as-withdraw; RFC 4271 section 6.3
  // puts the missing type code in the data.
  return new BgpDecodeError('ERR_BGP_MISSING_ATTRIBUTE', `missing well-known attribute ${name}`, {
    action: 'treat-as-withdraw',
    notificationCode: 3,
    notificationSubcode: 3,
    notificationData: Uint8Array.of(typeCode),
    offset,
    field: name,
    attributeType: typeCode,
  });
}

/**
 * Decodes an UPDATE body from `bytes[start, end)` (RFC 4271 section 4.3) with RFC 7606 error handling. Throws a
 * {@link BgpDecodeError} for session-reset cases; returns the other findings in `errors`.
 */
export function decodeUpdate(bytes: Uint8Array, start: number, end: number, context: SessionContext): UpdateMessage {
  if (end - start < 4)
    throw malformedAttributeList('UPDATE body shorter than 4 bytes', start, 'Withdrawn Routes Length');
  const withdrawnLength = (bytes[start]! << 8) | bytes[start + 1]!;
  const withdrawnStart = start + 2;
  const withdrawnEnd = withdrawnStart + withdrawnLength;
  // RFC 4271 section 6.3: lengths that do not fit the message are a Malformed Attribute List.
  if (withdrawnEnd + 2 > end) {
    throw malformedAttributeList(
      `Withdrawn Routes Length ${withdrawnLength} overruns the message`,
      start,
      'Withdrawn Routes Length',
    );
  }
  const attributesLength = (bytes[withdrawnEnd]! << 8) | bytes[withdrawnEnd + 1]!;
  const attributesStart = withdrawnEnd + 2;
  const attributesEnd = attributesStart + attributesLength;
  if (attributesEnd > end) {
    throw malformedAttributeList(
      `Total Path Attribute Length ${attributesLength} overruns the message`,
      withdrawnEnd,
      'Total Path Attribute Length',
    );
  }
  const state = prefixState;
  state.trailingBits = 0;
  state.firstTrailingBitsOffset = -1;
  const hasPathId = context.addPath.has(ipv4UnicastKey);
  let withdrawn: Prefix[] | readonly Prefix[] = emptyPrefixes;
  if (withdrawnLength > 0) {
    const list: Prefix[] = [];
    // RFC 7606 section 5.3: a syntactically incorrect Withdrawn Routes field resets the session.
    decodePrefixes(bytes, withdrawnStart, withdrawnEnd, 1, hasPathId, list, state, withdrawnMapping);
    withdrawn = list;
  }
  const withdrawnTrailing = state.trailingBits;
  const withdrawnTrailingOffset = state.firstTrailingBitsOffset;
  const attributes = decodeAttributeBlock(bytes, attributesStart, attributesEnd, context);
  state.trailingBits = 0;
  state.firstTrailingBitsOffset = -1;
  let nlri: Prefix[] | readonly Prefix[] = emptyPrefixes;
  if (attributesEnd < end) {
    const list: Prefix[] = [];
    // RFC 7606 section 5.3: a syntactically incorrect NLRI field resets the session (Invalid Network Field).
    decodePrefixes(bytes, attributesEnd, end, 1, hasPathId, list, state, nlriMapping);
    nlri = list;
  }
  let errors = attributes.errors;
  let treatAsWithdraw = attributes.treatAsWithdraw;
  const mpReach = attributes.mpReach;
  const isReachable =
    nlri.length > 0 ||
    (mpReach !== undefined &&
      (mpReach.nlri.length > 0 || (mpReach.nlriData !== undefined && mpReach.nlriData.length > 0)));
  let extra: BgpDecodeError[] | undefined;
  const layout = attributes.layout;
  if (isReachable && layout !== undefined) {
    let hasOrigin = false;
    let hasAsPath = false;
    let hasNextHop = false;
    for (const entry of layout) {
      const typeCode = entry & 0xff;
      if (typeCode === 1) hasOrigin = true;
      else if (typeCode === 2) hasAsPath = true;
      else if (typeCode === 3) hasNextHop = true;
    }
    if (!hasOrigin) (extra ??= []).push(missingAttribute(1, 'ORIGIN', attributesStart));
    if (!hasAsPath) (extra ??= []).push(missingAttribute(2, 'AS_PATH', attributesStart));
    // RFC 4760 section 3: NEXT_HOP is required only with NLRI in the UPDATE's own NLRI field.
    if (nlri.length > 0 && !hasNextHop) (extra ??= []).push(missingAttribute(3, 'NEXT_HOP', attributesStart));
    if (extra !== undefined) treatAsWithdraw = true;
  }
  if (withdrawnTrailing > 0) {
    (extra ??= []).push(trailingBitsNote(withdrawnTrailing, withdrawnTrailingOffset, 'Withdrawn Routes'));
  }
  if (state.trailingBits > 0) {
    (extra ??= []).push(
      trailingBitsNote(state.trailingBits, state.firstTrailingBitsOffset, 'Network Layer Reachability Information'),
    );
  }
  if (extra !== undefined) errors = [...errors, ...extra];
  return { type: 2, withdrawn, attributes, nlri, errors, treatAsWithdraw };
}

function trailingBitsNote(count: number, offset: number, field: string): BgpDecodeError {
  // RFC 4271 section 4.3: "the value of trailing bits is irrelevant"; they are cleared and reported.
  return new BgpDecodeError(
    'ERR_BGP_NLRI_TRAILING_BITS',
    `${count} prefix(es) with non-zero bits beyond the prefix length`,
    {
      action: 'none',
      notificationCode: 0,
      notificationSubcode: 0,
      offset,
      field,
    },
  );
}

/** Writes an UPDATE body into `writer`. */
export function writeUpdate(writer: ByteWriter, update: UpdateMessage, context: SessionContext): void {
  const hasPathId = context.addPath.has(ipv4UnicastKey);
  const withdrawnLengthAt = writer.offset;
  writer.u16(0);
  writePrefixes(writer, update.withdrawn, hasPathId);
  const withdrawnLength = writer.offset - withdrawnLengthAt - 2;
  if (withdrawnLength > 0xffff) throw new BgpEncodeError('Withdrawn Routes', 'longer than 65535 bytes');
  writer.view.setUint16(withdrawnLengthAt, withdrawnLength);
  const attributesLengthAt = writer.offset;
  writer.u16(0);
  writePathAttributes(writer, update.attributes, context);
  const attributesLength = writer.offset - attributesLengthAt - 2;
  if (attributesLength > 0xffff) throw new BgpEncodeError('Path Attributes', 'longer than 65535 bytes');
  writer.view.setUint16(attributesLengthAt, attributesLength);
  writePrefixes(writer, update.nlri, hasPathId);
}

/** What {@link createUpdate} builds an UPDATE from. */
export interface UpdateInit {
  readonly withdrawn?: readonly Prefix[];
  readonly attributes: PathAttributes;
  readonly nlri?: readonly Prefix[];
}

/**
 * Builds an UPDATE message value for {@link encodeMessage}.
 *
 * @example
 * createUpdate({ attributes, nlri: [parsePrefix('10.0.0.0/8')] });
 */
export function createUpdate(init: UpdateInit): UpdateMessage {
  return {
    type: 2,
    withdrawn: init.withdrawn ?? emptyPrefixes,
    attributes: init.attributes,
    nlri: init.nlri ?? emptyPrefixes,
    errors: init.attributes.errors,
    treatAsWithdraw: init.attributes.treatAsWithdraw,
  };
}
