import type { PathAttributes, Prefix } from '../wire/types';
import { Afi } from './constants';
import type { MrtPeer, MrtPrefixEntry, MrtRecord } from './types';
import { decodeDumpedUpdate } from './update';

/**
 * The per-prefix entries of one record: each RIB entry of a RIB/TABLE_DUMP/BGP4MP_ENTRY record, and each prefix an
 * UPDATE announces or withdraws (IPv4 NLRI and withdrawn routes, and the MP_REACH_NLRI / MP_UNREACH_NLRI
 * prefixes). Other records have none. Only `attributes` of RIB records are the typed `A`; UPDATE entries carry the
 * wire codec's `PathAttributes`.
 *
 * @example
 * for await (const record of readMrt(path)) {
 *   for (const entry of prefixEntries(record)) console.log(entry.kind, entry.prefix.length, entry.peer.address);
 * }
 */
export function prefixEntries<A = PathAttributes>(record: MrtRecord<A>): MrtPrefixEntry<A | PathAttributes>[] {
  const out: MrtPrefixEntry<A | PathAttributes>[] = [];
  const { timestamp, microseconds } = record;
  switch (record.kind) {
    case 'rib':
      if (record.prefix === undefined) break;
      for (const entry of record.entries) {
        out.push({
          kind: 'rib',
          timestamp,
          microseconds,
          peer: entry.peer,
          prefix: record.prefix,
          pathId: entry.pathId,
          attributes: entry.attributes,
        });
      }
      break;
    case 'table-dump':
    case 'bgp4mp-entry':
      out.push({
        kind: 'rib',
        timestamp,
        microseconds,
        peer: record.entry.peer,
        prefix: record.prefix,
        pathId: undefined,
        attributes: record.entry.attributes,
      });
      break;
    case 'bgp4mp-message': {
      const message = record.message;
      if (message.length < 19 || message[18] !== 2) break;
      const declared = (message[16]! << 8) | message[17]!;
      const end = Math.min(message.length, Math.max(19, declared));
      const peer: MrtPeer = {
        afi: record.afi === 0 ? Afi.IPV4 : record.afi,
        address: record.peerAddress,
        asn: record.peerAs,
        bgpId: '0.0.0.0',
      };
      updateEntries(message, 19, end, record.isAs4, record.isAddPath, timestamp, microseconds, peer, out);
      break;
    }
    case 'bgp-message': {
      if (record.messageType !== 2) break;
      const peer: MrtPeer = {
        afi: record.peerAddress.includes(':') ? Afi.IPV6 : Afi.IPV4,
        address: record.peerAddress,
        asn: record.peerAs,
        bgpId: '0.0.0.0',
      };
      updateEntries(record.body, 0, record.body.length, false, false, timestamp, microseconds, peer, out);
      break;
    }
    case 'peer-index-table':
    case 'bgp4mp-state-change':
    case 'bgp-state-change':
    case 'unknown':
      break;
  }
  return out;
}

function updateEntries<A>(
  bytes: Uint8Array,
  start: number,
  end: number,
  fourOctetAsn: boolean,
  addPath: boolean,
  timestamp: number,
  microseconds: number,
  peer: MrtPeer,
  out: MrtPrefixEntry<A | PathAttributes>[],
): void {
  const update = decodeDumpedUpdate(bytes, start, end, fourOctetAsn, addPath);
  const attributes = update.attributes;
  const push = (kind: 'announce' | 'withdraw', prefix: Prefix): void => {
    out.push({
      kind,
      timestamp,
      microseconds,
      peer,
      prefix,
      pathId: prefix.pathId,
      attributes: kind === 'announce' ? attributes : undefined,
    });
  };
  for (const prefix of update.withdrawn) push('withdraw', prefix);
  for (const prefix of attributes.mpUnreach?.withdrawn ?? []) push('withdraw', prefix);
  for (const prefix of update.nlri) push('announce', prefix);
  for (const prefix of attributes.mpReach?.nlri ?? []) push('announce', prefix);
}

/**
 * Flattens a record stream to per-prefix entries (see {@link prefixEntries}).
 *
 * @example
 * for await (const entry of mrtPrefixEntries(readMrt('bview.gz'))) console.log(entry.prefix, entry.peer.asn);
 */
export async function* mrtPrefixEntries<A = PathAttributes>(
  records: AsyncIterable<MrtRecord<A>>,
): AsyncGenerator<MrtPrefixEntry<A | PathAttributes>> {
  for await (const record of records) yield* prefixEntries(record);
}
