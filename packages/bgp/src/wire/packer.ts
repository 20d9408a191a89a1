import { BgpEncodeError } from '../errors';
import { createPathAttributes, encodePathAttributes } from './attributes';
import { familyKey, headerLength, maximumExtendedMessageLength, maximumMessageLength } from './constants';
import { encodeMessage } from './message';
import { encodedPrefixSize } from './nlri';
import type { PathAttributes, Prefix, SessionContext } from './types';
import { createUpdate } from './update';

/** Bytes of an UPDATE besides its header: Withdrawn Routes Length (2) and Total Path Attribute Length (2). */
const updateFixedLength = headerLength + 4;

function maximumFor(context: SessionContext): number {
  return context.extendedMessage ? maximumExtendedMessageLength : maximumMessageLength;
}

/** Splits prefixes into runs whose encoded size stays within `budget(runBytes)`. */
function batches(
  prefixes: readonly Prefix[],
  hasPathId: boolean,
  fits: (bytes: number) => boolean,
  what: string,
): Prefix[][] {
  const result: Prefix[][] = [];
  let current: Prefix[] = [];
  let bytes = 0;
  for (const prefix of prefixes) {
    const size = encodedPrefixSize(prefix, hasPathId);
    if (!fits(size)) throw new BgpEncodeError(what, 'the attributes leave no room for a single prefix');
    if (!fits(bytes + size)) {
      result.push(current);
      current = [];
      bytes = 0;
    }
    current.push(prefix);
    bytes += size;
  }
  if (current.length > 0) result.push(current);
  return result;
}

/**
 * Packs prefixes that share one set of attributes into as few UPDATE messages as fit the negotiated maximum size
 * (4096 bytes, or 65535 with RFC 8654). IPv4 unicast prefixes go in the NLRI field with `attributes.nextHop`; IPv6
 * prefixes (and IPv4 multicast) go in MP_REACH_NLRI, whose AFI/SAFI and next hop come from `attributes.mpReach`.
 * Returns the encoded messages, headers included.
 *
 * @example
 * const messages = packUpdates(prefixes, attributes, defaultSessionContext);
 * for (const message of messages) socket.write(message);
 */
export function packUpdates(
  prefixes: readonly Prefix[],
  attributes: PathAttributes,
  context: SessionContext,
): Uint8Array[] {
  const maximum = maximumFor(context);
  const messages: Uint8Array[] = [];
  const ipv4: Prefix[] = [];
  const other: Prefix[] = [];
  for (const prefix of prefixes) (prefix.afi === 1 && attributes.mpReach?.afi !== 1 ? ipv4 : other).push(prefix);
  // Attributes are re-laid canonically: a received layout may force sizes the packer did not plan for.
  const base = createPathAttributes({ ...attributes, mpReach: undefined, mpUnreach: undefined, layout: undefined });
  const baseLength = encodePathAttributes(base, context).length;
  if (ipv4.length > 0) {
    const hasPathId = context.addPath.has(familyKey(1, 1));
    for (const batch of batches(
      ipv4,
      hasPathId,
      (bytes) => updateFixedLength + baseLength + bytes <= maximum,
      'NLRI',
    )) {
      messages.push(encodeMessage(createUpdate({ attributes: base, nlri: batch }), context));
    }
  }
  if (other.length > 0) {
    const template = attributes.mpReach;
    if (template === undefined) {
      throw new BgpEncodeError('MP_REACH_NLRI', 'IPv6 prefixes need attributes.mpReach for the AFI/SAFI and next hop');
    }
    const hasPathId = context.addPath.has(familyKey(template.afi, template.safi));
    // AFI (2), SAFI (1), next hop length (1), next hop, reserved (1); the header grows to 4 bytes above 255.
    const mpFixed = 5 + template.nextHop.length;
    const fits = (bytes: number): boolean =>
      updateFixedLength + baseLength + (mpFixed + bytes > 255 ? 4 : 3) + mpFixed + bytes <= maximum;
    for (const batch of batches(other, hasPathId, fits, 'MP_REACH_NLRI')) {
      const mpReach = {
        afi: template.afi,
        safi: template.safi,
        nextHop: template.nextHop,
        nlri: batch,
        nlriData: undefined,
      };
      messages.push(encodeMessage(createUpdate({ attributes: { ...base, mpReach } }), context));
    }
  }
  return messages;
}

/**
 * Packs withdrawals into as few UPDATE messages as fit: IPv4 unicast in the Withdrawn Routes field, IPv6 in
 * MP_UNREACH_NLRI (RFC 4760 section 4) with SAFI `safi` (default unicast).
 *
 * @example
 * const messages = packWithdrawals([parsePrefix('2001:db8::/32')], defaultSessionContext);
 */
export function packWithdrawals(prefixes: readonly Prefix[], context: SessionContext, safi = 1): Uint8Array[] {
  const maximum = maximumFor(context);
  const messages: Uint8Array[] = [];
  const ipv4 = prefixes.filter((prefix) => prefix.afi === 1 && safi === 1);
  const other = prefixes.filter((prefix) => !(prefix.afi === 1 && safi === 1));
  const empty = createPathAttributes({});
  if (ipv4.length > 0) {
    const hasPathId = context.addPath.has(familyKey(1, 1));
    for (const batch of batches(ipv4, hasPathId, (bytes) => updateFixedLength + bytes <= maximum, 'Withdrawn Routes')) {
      messages.push(encodeMessage(createUpdate({ attributes: empty, withdrawn: batch }), context));
    }
  }
  for (const afi of [1, 2]) {
    const family = other.filter((prefix) => prefix.afi === afi);
    if (family.length === 0) continue;
    const hasPathId = context.addPath.has(familyKey(afi, safi));
    const fits = (bytes: number): boolean => updateFixedLength + (3 + bytes > 255 ? 4 : 3) + 3 + bytes <= maximum;
    for (const batch of batches(family, hasPathId, fits, 'MP_UNREACH_NLRI')) {
      const mpUnreach = { afi, safi, withdrawn: batch, withdrawnData: undefined };
      messages.push(encodeMessage(createUpdate({ attributes: createPathAttributes({ mpUnreach }) }), context));
    }
  }
  return messages;
}
