/**
 * @packageDocumentation
 * MRT (RFC 6396, RFC 8050): a streaming reader for routing archives (TABLE_DUMP, TABLE_DUMP_V2, BGP4MP, BGP4MP_ET and
 * the deprecated types still found in old RIPE RIS files), gzip/bzip2 input, damaged-record recovery with counted
 * warnings, per-prefix flattening, a writer for RIB snapshots and message logs, and the `bgpdump -m` line format.
 *
 * @example
 * import { readMrt, prefixEntries } from '@patronus/bgp/mrt';
 * const reader = readMrt('bview.20000111.0032.gz');
 * for await (const record of reader) {
 *   for (const entry of prefixEntries(record)) console.log(entry.peer.address, entry.prefix.length);
 * }
 * console.log(reader.warningCounts);
 */
export { BgpdumpFormatter } from './bgpdump';
export {
  Afi,
  Bgp4mpSubtype,
  BgpSubtype,
  MRT_HEADER_LENGTH,
  MrtType,
  Safi,
  TableDumpSubtype,
  TableDumpV2Subtype,
  mrtSubtypeName,
  mrtTypeName,
} from './constants';
export type { MrtAttributeContext, MrtAttributeDecoder } from './decode';
export { MrtDecompressorMissingError, MrtError, MrtRecordError, type MrtWarning, type MrtWarningKind } from './errors';
export type { MrtFramerOptions } from './framer';
export { mrtPrefixEntries, prefixEntries } from './flatten';
export {
  MrtReader,
  decodeMrt,
  decodeMrtAttributes,
  forEachMrtRecord,
  readMrt,
  type DecodedMrt,
  type MrtReaderOptions,
} from './reader';
export type { MrtCompression, MrtSource } from './source';
export {
  encodeMrtRecord,
  encodeRibSnapshot,
  type MrtRecordInput,
  type MrtRibEntryInput,
  type MrtSnapshot,
  type MrtSnapshotRoute,
} from './writer';
export type {
  Bgp4mpEntryRecord,
  Bgp4mpMessageRecord,
  Bgp4mpStateChangeRecord,
  BgpMessageRecord,
  BgpStateChangeRecord,
  MrtPeer,
  MrtPrefixEntry,
  MrtRecord,
  MrtRecordBase,
  MrtRibEntry,
  PeerIndexTableRecord,
  RibRecord,
  TableDumpRecord,
  UnknownMrtRecord,
} from './types';
