import { asTrans, effectiveAggregator, effectiveAsPath } from '../wire/attributes';
import type { AsPathSegment, PathAttributes, Prefix } from '../wire/types';
import { formatIpv4At, formatIpv4Number, formatIpv6At } from './address';
import { MrtType, TableDumpSubtype } from './constants';
import type { MrtRecord } from './types';
import { decodeDumpedUpdate } from './update';

/**
 * The `bgpdump -m` one-line format (Debian bgpdump 1.6), reproduced field for field because many scripts parse it:
 *
 * - `TABLE_DUMP|time|B|peer|peerAS|prefix|ASpath|origin|nexthop|localpref|MED|communities|AG/NAG|aggregator|`
 *   (`TABLE_DUMP2` for TABLE_DUMP_V2; `TABLE_DUMP2_AP` adds the Path Identifier after the prefix),
 * - `BGP4MP|time|A|peer|peerAS|prefix|...` and `BGP4MP|time|W|peer|peerAS|prefix` per announced / withdrawn prefix
 *   (`BGP4MP_ET` with `time.microseconds`, `_LOCAL` for sent messages, `_AP` with Path Identifiers),
 * - `BGP4MP|time|STATE|peer|peerAS|old|new` for state changes, and `BGP|...` for the deprecated BGP type.
 *
 * The AS path is AS_PATH merged with AS4_PATH (RFC 6793) in 2-octet contexts: sequences space-separated, `{a,b}`
 * AS_SET, `(a b)` AS_CONFED_SEQUENCE, `[a,b]` AS_CONFED_SET. Missing LOCAL_PREF / MED print 0, a missing NEXT_HOP
 * prints 255.255.255.255 and a missing ORIGIN prints INCOMPLETE, as bgpdump does.
 *
 * Where this output knowingly differs from bgpdump (and why):
 * - deprecated BGP withdrawals print the withdrawn prefix; bgpdump prints the peer address in its place (it passes
 *   two `inet_ntoa` results, which share one static buffer, to a single `printf`);
 * - records bgpdump cannot read are printed: TABLE_DUMP_V2 multicast and RIB_GENERIC RIBs, the deprecated
 *   BGP4MP_ENTRY (as `BGP4MP_ENTRY|time|B|...` with the TABLE_DUMP fields), every route of a multi-route RIPE RIS
 *   TABLE_DUMP record (bgpdump prints the first), and the records after a damaged one.
 */
export class BgpdumpFormatter {
  private readonly out: string[] = [];

  /**
   * The `bgpdump -m` lines for one record (none for records bgpdump prints nothing for: OPEN, KEEPALIVE,
   * PEER_INDEX_TABLE, unknown types).
   *
   * @example
   * const formatter = new BgpdumpFormatter();
   * for await (const record of readMrt(path)) for (const line of formatter.lines(record)) console.log(line);
   */
  lines(record: MrtRecord): readonly string[] {
    const out = this.out;
    out.length = 0;
    switch (record.kind) {
      case 'table-dump': {
        const isIpv6 = record.subtype === TableDumpSubtype.AFI_IPV6;
        const fourOctet = record.subtype >= TableDumpSubtype.AFI_IPV4_AS4;
        const attributes = record.entry.attributes;
        out.push(
          `TABLE_DUMP|${record.timestamp}|B|${record.entry.peer.address}|${record.entry.peer.asn}|${prefixText(record.prefix, isIpv6)}|` +
            routeFields(attributes, fourOctet, ribNextHop(attributes, isIpv6)),
        );
        break;
      }
      case 'rib': {
        if (record.prefix === undefined) break;
        const head = record.isAddPath ? 'TABLE_DUMP2_AP' : 'TABLE_DUMP2';
        const prefix = prefixText(record.prefix, record.afi === 2);
        for (const entry of record.entries) {
          const pathId = record.isAddPath ? `${entry.pathId ?? 0}|` : '';
          out.push(
            `${head}|${record.timestamp}|B|${entry.peer.address}|${entry.peer.asn}|${prefix}|${pathId}` +
              routeFields(entry.attributes, true, ribNextHop(entry.attributes, false)),
          );
        }
        break;
      }
      case 'bgp4mp-entry': {
        const nextHop =
          record.nextHop.length === 4
            ? formatIpv4At(record.nextHop, 0)
            : record.nextHop.length >= 16
              ? formatIpv6At(record.nextHop, 0)
              : ribNextHop(record.entry.attributes, false);
        out.push(
          `BGP4MP_ENTRY|${record.timestamp}|B|${record.entry.peer.address}|${record.entry.peer.asn}|${prefixText(record.prefix, record.afi === 2)}|` +
            routeFields(record.entry.attributes, false, nextHop),
        );
        break;
      }
      case 'bgp4mp-state-change':
        out.push(
          `${record.type === MrtType.BGP4MP_ET ? 'BGP4MP_ET' : 'BGP4MP'}|${timeText(record)}|STATE|${record.peerAddress}|${record.peerAs}|${record.oldState}|${record.newState}`,
        );
        break;
      case 'bgp-state-change':
        out.push(
          `BGP|${record.timestamp}|STATE|${record.peerAddress}|${record.peerAs}|${record.oldState}|${record.newState}`,
        );
        break;
      case 'bgp4mp-message':
        this.messageLines(record.message, record, out);
        break;
      case 'bgp-message':
        if (record.type === MrtType.BGP && record.messageType === 2) this.deprecatedUpdateLines(record, out);
        break;
      case 'peer-index-table':
      case 'unknown':
        break;
    }
    return out;
  }

  private messageLines(message: Uint8Array, record: MrtRecord & { kind: 'bgp4mp-message' }, out: string[]): void {
    if (message.length < 19 || message[18] !== 2) return;
    const declared = (message[16]! << 8) | message[17]!;
    const end = Math.min(message.length, Math.max(19, declared));
    const update = decodeDumpedUpdate(message, 19, end, record.isAs4, record.isAddPath);
    const format =
      (record.type === MrtType.BGP4MP_ET ? 'BGP4MP_ET' : 'BGP4MP') +
      (record.isLocal ? '_LOCAL' : '') +
      (record.isAddPath ? '_AP' : '');
    const head = `${format}|${timeText(record)}|`;
    const peer = `${record.peerAddress}|${record.peerAs}|`;
    const attributes = update.attributes;
    const withdrawLine = (prefix: Prefix): string =>
      `${head}W|${peer}${prefixText(prefix, prefix.afi === 2)}${record.isAddPath ? `|${prefix.pathId ?? 0}` : ''}`;
    for (const prefix of update.withdrawn) out.push(withdrawLine(prefix));
    const unreach = attributes.mpUnreach;
    if (unreach !== undefined && isDumpedFamily(unreach.afi, unreach.safi)) {
      for (const prefix of unreach.withdrawn) out.push(withdrawLine(prefix));
    }
    if (update.nlri.length > 0) {
      const fields = routeFields(attributes, record.isAs4, formatIpv4Number(attributes.nextHop ?? 0xffffffff));
      for (const prefix of update.nlri) {
        out.push(`${head}A|${peer}${prefixText(prefix, false)}|${pathIdField(record.isAddPath, prefix)}${fields}`);
      }
    }
    const reach = attributes.mpReach;
    if (reach !== undefined && isDumpedFamily(reach.afi, reach.safi) && reach.nlri.length > 0) {
      const nextHop = reach.nextHop;
      const hasNextHop = nextHop.length === 4 || nextHop.length === 16 || nextHop.length === 32;
      const nextHopText = nextHop.length === 4 ? formatIpv4At(nextHop, 0) : hasNextHop ? formatIpv6At(nextHop, 0) : '';
      for (const prefix of reach.nlri) {
        const pathId = pathIdField(record.isAddPath, prefix);
        if (reach.afi === 1) {
          // bgpdump prints LOCAL_PREF and MED of IPv4 MP_REACH routes as signed numbers.
          const fields = hasNextHop
            ? `${asPathText(attributes, record.isAs4)}|${originText(attributes)}|${nextHopText}|${(attributes.localPref ?? 0) | 0}|${(attributes.multiExitDisc ?? 0) | 0}|`
            : `${asPathText(attributes, record.isAs4)}|${originText(attributes)}|`;
          out.push(
            `${head}A|${peer}${prefixText(prefix, false)}|${pathId}${fields}${tailFields(attributes, record.isAs4)}`,
          );
        } else {
          const fields = hasNextHop
            ? `${asPathText(attributes, record.isAs4)}|${originText(attributes)}|${nextHopText}|${attributes.localPref ?? 0}|${attributes.multiExitDisc ?? 0}|`
            : '';
          out.push(
            `${head}A|${peer}${prefixText(prefix, true)}|${pathId}${fields}${tailFields(attributes, record.isAs4)}`,
          );
        }
      }
    }
  }

  private deprecatedUpdateLines(record: MrtRecord & { kind: 'bgp-message' }, out: string[]): void {
    const update = decodeDumpedUpdate(record.body, 0, record.body.length, false, false);
    const head = `BGP|${record.timestamp}|`;
    for (const prefix of update.withdrawn) {
      out.push(`${head}W|${record.peerAddress}|${record.peerAs}|${prefixText(prefix, false)}`);
    }
    if (update.nlri.length === 0) return;
    const attributes = update.attributes;
    const communities = communitiesText(attributes.communities);
    const aggregator = aggregatorText(attributes, false);
    // bgpdump's deprecated-BGP line has no separator between MED and the communities.
    const fields =
      `${asPathText(attributes, false)}|${originText(attributes)}|${formatIpv4Number(attributes.nextHop ?? 0xffffffff)}` +
      `|${attributes.localPref ?? 0}|${attributes.multiExitDisc ?? 0}${communities}|${attributes.atomicAggregate ? 'AG' : 'NAG'}|${aggregator}|`;
    for (const prefix of update.nlri) {
      out.push(`${head}A|${record.peerAddress}|${record.peerAs}|${prefixText(prefix, false)}|${fields}`);
    }
  }
}

function isDumpedFamily(afi: number, safi: number): boolean {
  return (afi === 1 || afi === 2) && safi >= 1 && safi <= 3;
}

function pathIdField(isAddPath: boolean, prefix: Prefix): string {
  return isAddPath ? `${prefix.pathId ?? 0}|` : '';
}

function timeText(record: MrtRecord): string {
  return record.type === MrtType.BGP4MP_ET
    ? `${record.timestamp}.${String(record.microseconds).padStart(6, '0')}`
    : String(record.timestamp);
}

const scratch = new Uint8Array(16);

/** Prefix text; IPv4 as dotted quad, IPv6 as `inet_ntop` prints it. */
export function prefixText(prefix: Prefix, isIpv6: boolean): string {
  if (!isIpv6) return `${formatIpv4Number(prefix.address0)}/${prefix.length}`;
  writeWord(scratch, 0, prefix.address0);
  writeWord(scratch, 4, prefix.address1);
  writeWord(scratch, 8, prefix.address2);
  writeWord(scratch, 12, prefix.address3);
  return `${formatIpv6At(scratch, 0)}/${prefix.length}`;
}

function writeWord(bytes: Uint8Array, offset: number, word: number): void {
  bytes[offset] = word >>> 24;
  bytes[offset + 1] = (word >>> 16) & 0xff;
  bytes[offset + 2] = (word >>> 8) & 0xff;
  bytes[offset + 3] = word & 0xff;
}

/**
 * The next hop bgpdump shows for a RIB entry: the MP_REACH_NLRI next hop when there is one (the abbreviated form of
 * RFC 6396 section 4.3.4, or a full IPv4/IPv6 unicast one), else NEXT_HOP, else 255.255.255.255. In TABLE_DUMP an
 * IPv4 entry uses NEXT_HOP only when there is no IPv6 MP_REACH_NLRI.
 */
function ribNextHop(attributes: PathAttributes, isTableDumpIpv6: boolean): string {
  const reach = attributes.mpReach;
  if (reach !== undefined && (reach.safi === 1 || reach.nlri.length === 0)) {
    const nextHop = reach.nextHop;
    if (nextHop.length === 4 && !isTableDumpIpv6) return formatIpv4At(nextHop, 0);
    if (nextHop.length === 16 || nextHop.length === 32) return formatIpv6At(nextHop, 0);
  }
  return formatIpv4Number(attributes.nextHop ?? 0xffffffff);
}

/** `ASpath|origin|nexthop|localpref|MED|communities|AG|aggregator|`. */
function routeFields(attributes: PathAttributes, fourOctetAsn: boolean, nextHop: string): string {
  return (
    `${asPathText(attributes, fourOctetAsn)}|${originText(attributes)}|${nextHop}|${attributes.localPref ?? 0}|` +
    `${attributes.multiExitDisc ?? 0}|${tailFields(attributes, fourOctetAsn)}`
  );
}

/** `communities|AG|aggregator|`. */
function tailFields(attributes: PathAttributes, fourOctetAsn: boolean): string {
  const communities = communitiesText(attributes.communities);
  return `${communities}|${attributes.atomicAggregate ? 'AG' : 'NAG'}|${aggregatorText(attributes, fourOctetAsn)}|`;
}

function originText(attributes: PathAttributes): string {
  const origin = attributes.origin;
  return origin === 0 ? 'IGP' : origin === 1 ? 'EGP' : 'INCOMPLETE';
}

function aggregatorText(attributes: PathAttributes, fourOctetAsn: boolean): string {
  const aggregator = effectiveAggregator(attributes, fourOctetAsn);
  // bgpdump marks "no aggregator" with the address 255.255.255.255.
  if (aggregator === undefined || aggregator.address === 0xffffffff) return '';
  return `${aggregator.asn} ${formatIpv4Number(aggregator.address)}`;
}

const communityCache = new WeakMap<readonly number[], string>();

/** Communities as bgpdump prints them: space-separated `AS:value`, and three well-known names. */
function communitiesText(communities: readonly number[] | undefined): string {
  if (communities === undefined) return '';
  let text = communityCache.get(communities);
  if (text !== undefined) return text;
  text = '';
  for (const community of communities) {
    if (text.length > 0) text += ' ';
    if (community === 0xffffff01) text += 'no-export';
    else if (community === 0xffffff02) text += 'no-advertise';
    else if (community === 0xffffff03) text += 'local-AS';
    else text += `${community >>> 16}:${community & 0xffff}`;
  }
  communityCache.set(communities, text);
  return text;
}

const asPathCache = new WeakMap<PathAttributes, string>();
const asPathCache4 = new WeakMap<PathAttributes, string>();

/** The AS path text (AS_PATH merged with AS4_PATH in 2-octet contexts), `! Error !` for a malformed AS_PATH. */
function asPathText(attributes: PathAttributes, fourOctetAsn: boolean): string {
  const cache = fourOctetAsn ? asPathCache4 : asPathCache;
  let text = cache.get(attributes);
  if (text !== undefined) return text;
  if (attributes.asPath === undefined) {
    text = attributes.errors.some((error) => error.attributeType === 2) ? '! Error !' : '';
  } else {
    const effective = effectiveAsPathForDump(attributes, fourOctetAsn);
    text = formatSegments(effective ?? attributes.asPath);
  }
  cache.set(attributes, text);
  return text;
}

function effectiveAsPathForDump(
  attributes: PathAttributes,
  fourOctetAsn: boolean,
): readonly AsPathSegment[] | undefined {
  // RFC 6793 section 4.2.3: with an AGGREGATOR from an OLD speaker (not AS_TRANS), AS4_PATH is ignored.
  if (
    !fourOctetAsn &&
    attributes.aggregator !== undefined &&
    attributes.aggregator.asn !== asTrans &&
    attributes.as4Aggregator !== undefined
  ) {
    return attributes.asPath;
  }
  return effectiveAsPath(attributes, fourOctetAsn);
}

const SEQUENCE = 2;
const SET = 1;

function openChar(type: number): string {
  return type === SET ? '{' : type === 4 ? '[' : type === 3 ? '(' : ' ';
}

function closeChar(type: number): string {
  return type === SET ? '}' : type === 4 ? ']' : type === 3 ? ')' : ' ';
}

/**
 * AS path text with bgpdump's layout rules: a space between segments only after a segment that printed an AS,
 * `,` inside sets, and `...` once the text passes 7900 characters.
 */
export function formatSegments(segments: readonly AsPathSegment[]): string {
  let text = '';
  let previousType = SEQUENCE;
  let space = false;
  for (const segment of segments) {
    if (previousType !== SEQUENCE) text += closeChar(previousType);
    if (space) text += ' ';
    if (segment.type !== SEQUENCE) text += openChar(segment.type);
    space = false;
    const isSet = segment.type === SET || segment.type === 4;
    for (const asn of segment.asns) {
      if (space) text += isSet ? ',' : ' ';
      else space = true;
      text += String(asn);
      if (text.length > 7900) return `${text}...`;
    }
    previousType = segment.type;
  }
  if (segments.length > 0 && previousType !== SEQUENCE) text += closeChar(previousType);
  return text;
}
