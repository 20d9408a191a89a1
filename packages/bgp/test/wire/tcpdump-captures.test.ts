import { requireFile, sharedDataDir } from '@patronus-internal/test-support';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  aigpMetric,
  BgpDecodeError,
  type BgpMessage,
  BgpFramer,
  BgpFramingError,
  CapabilityCode,
  decodeMessage,
  effectiveAsPath,
  encodeMessage,
  formatAsPath,
  formatAddress,
  formatCommunity,
  formatIpv4,
  formatPrefix,
  nextHopAddresses,
  notificationCodeName,
  notificationSubcodeName,
  type OpenMessage,
  openCapabilities,
  type Prefix,
  type SessionContext,
  type UpdateMessage,
} from '../../src/index';
import { readTcpSegments, reassembleStreams, type TcpSegment } from '../support/pcap';
import { readTcpdumpOut, type TcpdumpMessage } from '../support/tcpdump-out';

const directory = join(sharedDataDir, 'bgp/tcpdump');
const marker = requireFile(join(directory, 'LICENSE'));

/** What we expect from one message of a capture when the generic comparison with tcpdump does not apply. */
interface ErrorExpectation {
  /** Index of the message in the capture (0-based, in packet order). */
  readonly message: number;
  readonly code: string;
  readonly action: string;
  readonly notification: readonly [number, number];
  readonly attributeType?: number;
}

interface Capture {
  readonly file: string;
  readonly out: string;
  /** Context for UPDATEs whose session OPENs are not in the capture. */
  readonly fourOctetAsn: boolean;
  readonly addPath?: readonly number[];
  /** Fuzzer-made captures: tcpdump resynchronises on the next marker, a BGP speaker must not (RFC 4271 6.1). */
  readonly isFuzzed?: boolean;
  readonly errors?: readonly ErrorExpectation[];
}

const captures: readonly Capture[] = [
  { file: 'bgp-4byte-asn.pcap', out: 'bgp-4byte-asn.out', fourOctetAsn: false },
  {
    file: 'bgp-addpath.pcap',
    out: 'bgp-addpath.out',
    fourOctetAsn: true,
    addPath: [0x101, 0x201],
    // tcpdump's test UPDATE repeats MP_REACH_NLRI: RFC 7606 section 3 (g) makes that a Malformed Attribute List.
    errors: [
      {
        message: 0,
        code: 'ERR_BGP_MALFORMED_ATTRIBUTE',
        action: 'session-reset',
        notification: [3, 1],
        attributeType: 14,
      },
    ],
  },
  { file: 'bgp-aigp-2.pcap', out: 'bgp-aigp-2.out', fourOctetAsn: true },
  {
    file: 'bgp-aigp-oobr.pcap',
    out: 'bgp-aigp-oobr-nossl.out',
    fourOctetAsn: true,
    isFuzzed: true,
    errors: [
      {
        message: 0,
        code: 'ERR_BGP_MALFORMED_ATTRIBUTE',
        action: 'session-reset',
        notification: [3, 2],
        attributeType: 171,
      },
    ],
  },
  { file: 'bgp-aigp.pcap', out: 'bgp-aigp.out', fourOctetAsn: true },
  {
    file: 'bgp-as-path-oobr.pcap',
    out: 'bgp-as-path-oobr-nossl.out',
    fourOctetAsn: true,
    isFuzzed: true,
    errors: [{ message: 0, code: 'ERR_BGP_MALFORMED_UPDATE', action: 'session-reset', notification: [3, 1] }],
  },
  { file: 'bgp-bfd-cease.pcap', out: 'bgp-bfd-cease.out', fourOctetAsn: true },
  {
    file: 'bgp-bgp_capabilities_print-oobr-1.pcap',
    out: 'bgp-bgp_capabilities_print-oobr-1.out',
    fourOctetAsn: true,
    isFuzzed: true,
    errors: [{ message: 0, code: 'ERR_BGP_FRAMING', action: 'session-reset', notification: [1, 1] }],
  },
  {
    file: 'bgp-bgp_capabilities_print-oobr-2.pcap',
    out: 'bgp-bgp_capabilities_print-oobr-2.out',
    fourOctetAsn: true,
    isFuzzed: true,
    errors: [{ message: 0, code: 'ERR_BGP_FRAMING', action: 'session-reset', notification: [1, 1] }],
  },
  { file: 'bgp-bgpsec.pcap', out: 'bgp-bgpsec.out', fourOctetAsn: true },
  { file: 'bgp-cease-hard-reset.pcap', out: 'bgp-cease-hard-reset.out', fourOctetAsn: true },
  { file: 'bgp-encap.pcap', out: 'bgp-encap.out', fourOctetAsn: true },
  {
    file: 'bgp-enhanced-route-refresh-subtype.pcapng',
    out: 'bgp-enhanced-route-refresh-subtype.out',
    fourOctetAsn: true,
  },
  { file: 'bgp-enhanced-route-refresh.pcapng', out: 'bgp-enhanced-route-refresh.out', fourOctetAsn: true },
  { file: 'bgp-evpn.pcap', out: 'bgp-evpn.out', fourOctetAsn: true },
  { file: 'bgp-extended-msg.pcapng', out: 'bgp-extended-msg.out', fourOctetAsn: true },
  {
    file: 'bgp-extended-optional-parameters-length.pcapng',
    out: 'bgp-extended-optional-parameters-length.out',
    fourOctetAsn: true,
  },
  { file: 'bgp-extended-shutdown-msg.pcapng', out: 'bgp-extended-shutdown-msg.out', fourOctetAsn: true },
  {
    file: 'bgp-infinite-loop.pcap',
    out: 'bgp_infloop-v.out',
    fourOctetAsn: true,
    isFuzzed: true,
    // An UPDATE of 19 bytes is below the 23-byte minimum: Bad Message Length (RFC 4271 section 6.1).
    errors: [{ message: 0, code: 'ERR_BGP_MALFORMED_HEADER', action: 'session-reset', notification: [1, 2] }],
  },
  { file: 'bgp-large-community.pcap', out: 'bgp-large-community.out', fourOctetAsn: true },
  { file: 'bgp-link-bw-extcommunity.pcapng', out: 'bgp-link-bw-extcommunity.out', fourOctetAsn: true },
  { file: 'bgp-lu-multiple-labels.pcap', out: 'bgp-lu-multiple-labels.out', fourOctetAsn: true },
  { file: 'bgp-malformed-hard-reset.pcap', out: 'bgp-malformed-hard-reset.out', fourOctetAsn: true },
  { file: 'bgp-orf.pcapng', out: 'bgp-orf.out', fourOctetAsn: true },
  { file: 'bgp-ovs.pcapng', out: 'bgp-ovs.out', fourOctetAsn: true },
  { file: 'bgp-role.pcapng', out: 'bgp-role.out', fourOctetAsn: false },
  { file: 'bgp-rt-prefix.pcap', out: 'bgp-rt-prefix.out', fourOctetAsn: true },
  { file: 'bgp-shutdown-communication.pcapng', out: 'bgp-shutdown-communication.out', fourOctetAsn: true },
  { file: 'bgp-shutdown-msg-variations.pcap', out: 'bgp-shutdown-msg-variations.out', fourOctetAsn: true },
  {
    file: 'bgp-ub.pcap',
    out: 'bgp-ub.out',
    fourOctetAsn: true,
    isFuzzed: true,
    errors: [{ message: 0, code: 'ERR_BGP_FRAMING', action: 'session-reset', notification: [1, 1] }],
  },
  {
    file: 'bgp_mp_reach_nlri-oobr.pcap',
    out: 'bgp_mp_reach_nlri-oobr.out',
    fourOctetAsn: true,
    isFuzzed: true,
    errors: [{ message: 0, code: 'ERR_BGP_FRAMING', action: 'session-reset', notification: [1, 1] }],
  },
  {
    file: 'bgp_mvpn_6_and_7_oobr.pcap',
    out: 'bgp_mvpn_6_and_7_oobr.out',
    fourOctetAsn: true,
    isFuzzed: true,
    errors: [{ message: 0, code: 'ERR_BGP_MALFORMED_UPDATE', action: 'session-reset', notification: [3, 1] }],
  },
  { file: 'bgp_notification_rr_msg_error.pcap', out: 'bgp_notification_rr_msg_error.out', fourOctetAsn: true },
  {
    file: 'bgp_pmsi_tunnel-oobr.pcap',
    out: 'bgp_pmsi_tunnel-oobr.out',
    fourOctetAsn: true,
    isFuzzed: true,
    errors: [{ message: 0, code: 'ERR_BGP_MALFORMED_UPDATE', action: 'session-reset', notification: [3, 1] }],
  },
  { file: 'bgp_vpn_attrset.pcap', out: 'bgp_vpn_attrset.out', fourOctetAsn: true },
  {
    file: 'bgp_vpn_rt-oobr.pcap',
    out: 'bgp_vpn_rt-oobr.out',
    fourOctetAsn: true,
    isFuzzed: true,
    errors: [{ message: 0, code: 'ERR_BGP_MALFORMED_UPDATE', action: 'session-reset', notification: [3, 1] }],
  },
  {
    file: 'bgpsec_invalid_signature_block_length.pcap',
    out: 'bgpsec_invalid_signature_block_length.out',
    fourOctetAsn: true,
  },
  { file: 'mpbgp-linklocal-nexthop.pcap', out: 'mpbgp-linklocal-nexthop.out', fourOctetAsn: false },
];

/**
 * Captures spliced together from several sessions (packets with unrelated or repeated sequence numbers): their TCP
 * streams cannot be reassembled, so the stream test skips them.
 */
const splicedCaptures: ReadonlySet<string> = new Set([
  'bgp-cease-hard-reset.pcap',
  'bgp-role.pcapng',
  'bgp-shutdown-communication.pcapng',
  'bgp-shutdown-msg-variations.pcap',
]);

/** One message as we found it: where, and what decoding gave (a message or a typed error). */
interface Decoded {
  readonly packetNumber: number;
  readonly type: number;
  readonly length: number;
  readonly bytes: Uint8Array;
  readonly message: BgpMessage | undefined;
  readonly error: BgpDecodeError | undefined;
  readonly context: SessionContext;
}

/** The session context both OPENs of a connection negotiated (RFC 6793 section 3, RFC 7911 section 4). */
function negotiated(sender: OpenMessage, receiver: OpenMessage): SessionContext {
  const senderCapabilities = openCapabilities(sender);
  const receiverCapabilities = openCapabilities(receiver);
  const fourOctetAsn =
    senderCapabilities.some((capability) => capability.code === CapabilityCode.FourOctetAsn) &&
    receiverCapabilities.some((capability) => capability.code === CapabilityCode.FourOctetAsn);
  const addPath = new Set<number>();
  for (const capability of senderCapabilities) {
    if (!('families' in capability) || capability.code !== CapabilityCode.AddPath) continue;
    for (const family of capability.families) {
      const receives = receiverCapabilities.some(
        (other) =>
          other.code === CapabilityCode.AddPath &&
          'families' in other &&
          other.families.some(
            (entry) =>
              entry.afi === family.afi &&
              entry.safi === family.safi &&
              'sendReceive' in entry &&
              (entry.sendReceive & 1) !== 0,
          ),
      );
      if ((family.sendReceive & 2) !== 0 && receives) addPath.add(family.afi * 256 + family.safi);
    }
  }
  const extendedMessage =
    senderCapabilities.some((capability) => capability.code === CapabilityCode.ExtendedMessage) &&
    receiverCapabilities.some((capability) => capability.code === CapabilityCode.ExtendedMessage);
  return { fourOctetAsn, addPath, extendedMessage };
}

/**
 * Decodes the messages of each TCP segment as tcpdump does (segment by segment), stopping a segment at its first
 * framing error, and tracking OPENs per connection to know the session context of later UPDATEs.
 */
function decodeCapture(capture: Capture): { decoded: Decoded[]; framingErrors: BgpFramingError[] } {
  const segments = readTcpSegments(join(directory, capture.file));
  const fallback: SessionContext = {
    fourOctetAsn: capture.fourOctetAsn,
    addPath: new Set(capture.addPath ?? []),
    extendedMessage: true,
  };
  const opens = new Map<string, OpenMessage>();
  const decoded: Decoded[] = [];
  const framingErrors: BgpFramingError[] = [];
  for (const segment of segments) {
    if (segment.payload.length === 0) continue;
    const framer = new BgpFramer({ extendedMessage: true, maximumBufferedBytes: 1 << 20 });
    framer.push(segment.payload);
    for (;;) {
      let bytes: Uint8Array | undefined;
      try {
        bytes = framer.next();
      } catch (error) {
        if (!(error instanceof BgpFramingError)) throw error;
        framingErrors.push(error);
        decoded.push(failed(segment, error, fallback));
        break;
      }
      if (bytes === undefined) break;
      const [from, to] = segment.flow.split('>') as [string, string];
      const sender = opens.get(`${from}>${to}`);
      const receiver = opens.get(`${to}>${from}`);
      const context = sender !== undefined && receiver !== undefined ? negotiated(sender, receiver) : fallback;
      try {
        const message = decodeMessage(bytes, context);
        if (message.type === 1) opens.set(segment.flow, message);
        decoded.push({
          packetNumber: segment.packetNumber,
          type: bytes[18]!,
          length: bytes.length,
          bytes,
          message,
          error: undefined,
          context,
        });
      } catch (error) {
        if (!(error instanceof BgpDecodeError)) throw error;
        decoded.push({
          packetNumber: segment.packetNumber,
          type: bytes[18]!,
          length: bytes.length,
          bytes,
          message: undefined,
          error,
          context,
        });
      }
    }
  }
  return { decoded, framingErrors };
}

function failed(segment: TcpSegment, error: BgpDecodeError, context: SessionContext): Decoded {
  return {
    packetNumber: segment.packetNumber,
    type: -1,
    length: -1,
    bytes: segment.payload,
    message: undefined,
    error,
    context,
  };
}

function prefixText(prefix: Prefix): string {
  return prefix.pathId === undefined ? formatPrefix(prefix) : `${formatPrefix(prefix)}#${prefix.pathId}`;
}

function flagLetters(flags: number): string {
  return `${flags & 0x80 ? 'O' : ''}${flags & 0x40 ? 'T' : ''}${flags & 0x20 ? 'P' : ''}${flags & 0x10 ? 'E' : ''}`;
}

const originNames = ['IGP', 'EGP', 'Incomplete'];

/** Compares an UPDATE with tcpdump's view of it: attribute list and flags, prefixes, and the plain values. */
function expectUpdateMatches(update: UpdateMessage, theirs: TcpdumpMessage): void {
  const attributes = update.attributes;
  expect((attributes.layout ?? []).map((entry) => `${entry & 0xff}/${flagLetters(entry >>> 8)}`)).toEqual(
    theirs.attributes.map((text) => {
      const [type, , flags] = text.split('/');
      return `${type}/${flags}`;
    }),
  );
  expect(update.withdrawn.map(prefixText)).toEqual(theirs.withdrawn);
  expect(update.nlri.map(prefixText)).toEqual(theirs.updated);
  expect(attributes.mpReach?.nlri.map(prefixText) ?? []).toEqual(theirs.mpReach);
  expect(attributes.mpUnreach?.withdrawn.map(prefixText) ?? []).toEqual(theirs.mpUnreach);
  const values = theirs.values;
  if (attributes.origin !== undefined) expect(values.get(1)).toBe(originNames[attributes.origin]);
  if (attributes.asPath !== undefined && !/[{([]/.test(values.get(2) ?? '')) {
    expect(formatAsPath(attributes.asPath) || 'empty').toBe(values.get(2));
  }
  if (attributes.nextHop !== undefined) expect(values.get(3)).toBe(formatIpv4(attributes.nextHop));
  if (attributes.multiExitDisc !== undefined) expect(values.get(4)).toBe(String(attributes.multiExitDisc));
  if (attributes.localPref !== undefined) expect(values.get(5)).toBe(String(attributes.localPref));
  if (attributes.communities !== undefined && /^[\d:, ]+$/.test(values.get(8) ?? '')) {
    expect(attributes.communities.map(formatCommunity).join(', ')).toBe(values.get(8));
  }
  if (attributes.originatorId !== undefined) expect(values.get(9)).toBe(formatIpv4(attributes.originatorId));
  if (attributes.clusterList !== undefined)
    expect(values.get(10)).toBe(attributes.clusterList.map(formatIpv4).join(', '));
  if (attributes.as4Path !== undefined) expect(values.get(17)).toBe(formatAsPath(attributes.as4Path));
}

const results = new Map<string, { decoded: Decoded[]; out: TcpdumpMessage[] }>();
function load(capture: Capture): { decoded: Decoded[]; out: TcpdumpMessage[] } {
  let result = results.get(capture.file);
  if (result === undefined) {
    result = { decoded: decodeCapture(capture).decoded, out: readTcpdumpOut(join(directory, capture.out)) };
    results.set(capture.file, result);
  }
  return result;
}

describe.skipIf(marker.path === undefined)('tcpdump captures (the-tcpdump-group/tcpdump tests)', () => {
  // bgp-llgr.out has no capture of its own in the data set (tcpdump's test decodes another file), so it is not used.
  it('covers every capture in the data set', () => {
    const files = readdirSync(directory).filter((file) => /\.pcap(ng)?$/.test(file));
    expect(captures.map((capture) => capture.file).sort()).toEqual(files.sort());
    for (const capture of captures) expect(existsSync(join(directory, capture.out))).toBe(true);
  });

  describe.each(captures.filter((capture) => capture.isFuzzed !== true))('$file', (capture) => {
    it('frames the same messages (packet, type, length) as tcpdump shows', () => {
      const { decoded, out } = load(capture);
      expect(decoded.map((entry) => `${entry.packetNumber}:${entry.type}/${entry.length}`)).toEqual(
        out.map((message) => `${message.packetNumber}:${message.type}/${message.length}`),
      );
    });

    it('decodes each message to the fields tcpdump prints, or to the expected typed error', () => {
      const { decoded, out } = load(capture);
      decoded.forEach((entry, index) => {
        const expected = capture.errors?.find((error) => error.message === index);
        if (expected !== undefined) {
          expect(entry.error).toBeInstanceOf(BgpDecodeError);
          expect(entry.error?.code).toBe(expected.code);
          expect(entry.error?.action).toBe(expected.action);
          expect([entry.error?.notificationCode, entry.error?.notificationSubcode]).toEqual(expected.notification);
          if (expected.attributeType !== undefined) expect(entry.error?.attributeType).toBe(expected.attributeType);
          return;
        }
        expect(entry.error).toBeUndefined();
        const message = entry.message!;
        if (message.type === 2) expectUpdateMatches(message, out[index]!);
        if (message.type === 3) {
          expect(out[index]!.summary).toContain(`${notificationCodeName(message.code)} (${message.code})`);
        }
      });
    });

    it('re-encodes every valid message byte-exact', () => {
      const { decoded } = load(capture);
      for (const entry of decoded) {
        if (entry.message === undefined) continue;
        if (entry.message.type === 2 && entry.message.errors.length > 0) continue;
        expect(Buffer.from(encodeMessage(entry.message, entry.context)).toString('hex')).toBe(
          Buffer.from(entry.bytes).toString('hex'),
        );
      }
    });

    // Spliced captures have no reassemblable stream; their messages are checked packet by packet above.
    if (!splicedCaptures.has(capture.file)) {
      it('gives the same messages when the reassembled TCP streams go through the framer in odd-sized chunks', () => {
        const streams = reassembleStreams(readTcpSegments(join(directory, capture.file)));
        const { decoded } = load(capture);
        let total = 0;
        for (const stream of streams) {
          const framer = new BgpFramer({ extendedMessage: true });
          for (let offset = 0, size = 1; offset < stream.bytes.length; offset += size, size = (size * 7) % 61 || 3) {
            framer.push(stream.bytes.subarray(offset, offset + size));
            for (let message = framer.next(); message !== undefined; message = framer.next()) total++;
          }
          expect(framer.bufferedBytes).toBe(0);
        }
        expect(total).toBe(decoded.length);
      });
    }
  });

  describe.each(captures.filter((capture) => capture.isFuzzed === true))('$file (fuzzer-made)', (capture) => {
    it('stops at the first malformed message with the typed error and RFC 7606 action', () => {
      const { decoded, out } = load(capture);
      const firstError = decoded.findIndex((entry) => entry.error !== undefined);
      expect(firstError).toBeGreaterThanOrEqual(0);
      // Messages before the error are the ones tcpdump printed first.
      decoded.slice(0, firstError).forEach((entry, index) => {
        expect(`${entry.packetNumber}:${entry.type}/${entry.length}`).toBe(
          `${out[index]!.packetNumber}:${out[index]!.type}/${out[index]!.length}`,
        );
      });
      const expected = capture.errors![0]!;
      const error = decoded[firstError + expected.message]!.error!;
      expect(error.code).toBe(expected.code);
      expect(error.action).toBe(expected.action);
      expect([error.notificationCode, error.notificationSubcode]).toEqual(expected.notification);
      if (expected.attributeType !== undefined) expect(error.attributeType).toBe(expected.attributeType);
    });
  });

  describe('values tcpdump prints, capture by capture', () => {
    const find = (file: string): Decoded[] => load(captures.find((capture) => capture.file === file)!).decoded;
    const messages = (file: string): BgpMessage[] => find(file).map((entry) => entry.message!);

    it('RFC 6793 4.2.3: AS4_PATH merged into a 2-octet AS_PATH (bgp-4byte-asn)', () => {
      const update = messages('bgp-4byte-asn.pcap').find(
        (message) => message.type === 2 && message.attributes.as4Path !== undefined,
      ) as UpdateMessage;
      expect(formatAsPath(update.attributes.asPath!)).toBe('200 1 23456 23456 23456');
      expect(formatAsPath(effectiveAsPath(update.attributes, false)!)).toBe('200 1 222222 333333 4294967290');
    });

    it('RFC 8092: large communities (bgp-large-community)', () => {
      const update = messages('bgp-large-community.pcap')[0] as UpdateMessage;
      expect(update.attributes.largeCommunities).toEqual([
        { globalAdministrator: 65535, localData1: 1, localData2: 1 },
        { globalAdministrator: 4294967295, localData1: 4294967295, localData2: 4294967295 },
      ]);
    });

    it('RFC 7311: AIGP metric (bgp-aigp, bgp-aigp-2)', () => {
      const first = messages('bgp-aigp.pcap')[0] as UpdateMessage;
      expect(aigpMetric(first.attributes.aigp!)).toBe(2000n);
      const second = messages('bgp-aigp-2.pcap')[0] as UpdateMessage;
      expect(aigpMetric(second.attributes.aigp!)).toBe(4294967295n);
    });

    it('RFC 9003: shutdown communications, including malformed ones (bgp-shutdown-*)', () => {
      const [shutdown, reset] = messages('bgp-shutdown-communication.pcapng');
      expect(shutdown).toMatchObject({ type: 3, code: 6, subcode: 2 });
      expect(reset).toMatchObject({ type: 3, code: 6, subcode: 4 });
      for (const message of [shutdown, reset]) {
        expect(message?.type === 3 && message.shutdownCommunication).toBe(
          'This is a test of the shutdown communication system.',
        );
      }
      const extended = messages('bgp-extended-shutdown-msg.pcapng')[0]!;
      expect(extended.type === 3 && extended.shutdownCommunication?.length).toBe(210);
      expect(extended.type === 3 && extended.shutdownCommunication).toMatch(
        /^\[TICKET-1-1438367390\] software upgrade;/,
      );
      const [extraData, empty, badLength] = messages('bgp-shutdown-msg-variations.pcap');
      // "0123456789" followed by 9 more bytes: the communication may not be followed by data.
      expect(extraData).toMatchObject({ type: 3, isDataMalformed: true, shutdownCommunication: undefined });
      expect(empty).toMatchObject({ type: 3, isDataMalformed: false, shutdownCommunication: '' });
      expect(badLength).toMatchObject({ type: 3, isDataMalformed: true, shutdownCommunication: undefined });
    });

    it('RFC 8538: hard reset wrapping a Cease, and a hard reset without its inner code (bgp-*hard-reset)', () => {
      const notification = messages('bgp-cease-hard-reset.pcap')[2]!;
      expect(notification).toMatchObject({ type: 3, code: 6, subcode: 9, hardReset: { code: 6, subcode: 3 } });
      expect(notificationSubcodeName(6, 9)).toBe('Hard Reset');
      expect(notificationSubcodeName(6, 3)).toBe('Peer De-configured');
      const malformed = messages('bgp-malformed-hard-reset.pcap')[0]!;
      expect(malformed).toMatchObject({ type: 3, code: 6, subcode: 9, hardReset: undefined, isDataMalformed: true });
    });

    it('NOTIFICATION names: BFD Down and ROUTE-REFRESH Invalid Message Length', () => {
      const bfd = messages('bgp-bfd-cease.pcap')[0]!;
      expect(bfd.type === 3 && notificationSubcodeName(bfd.code, bfd.subcode)).toBe('BFD Down');
      const routeRefresh = messages('bgp_notification_rr_msg_error.pcap')[0]!;
      expect(routeRefresh.type === 3 && notificationCodeName(routeRefresh.code)).toBe('ROUTE-REFRESH Message Error');
      expect(routeRefresh.type === 3 && notificationSubcodeName(routeRefresh.code, routeRefresh.subcode)).toBe(
        'Invalid Message Length',
      );
    });

    it('RFC 7313: ROUTE-REFRESH subtypes request, BoRR, EoRR', () => {
      const subtypes = messages('bgp-enhanced-route-refresh-subtype.pcapng').flatMap((message) =>
        message.type === 5 ? [message.subtype] : [],
      );
      expect(subtypes).toEqual([0, 1, 2]);
    });

    it('RFC 5291: ORF entries kept after the ROUTE-REFRESH fixed part (bgp-orf)', () => {
      const [first, second] = messages('bgp-orf.pcapng');
      expect(first?.type === 5 && first.orfData.length).toBe(28 - 23);
      expect(second?.type === 5 && second.orfData.length).toBe(51 - 23);
    });

    it('RFC 9234 role, RFC 8654 extended message, RFC 9072 extended optional parameters', () => {
      const role = messages('bgp-role.pcapng')[0] as OpenMessage;
      expect(openCapabilities(role)).toContainEqual({ code: 9, role: 3 });
      const extended = messages('bgp-extended-msg.pcapng')[0] as OpenMessage;
      expect(openCapabilities(extended)).toContainEqual({ code: 6 });
      expect(extended.extendedOptionalParameters).toBe(false);
      const parameters = messages('bgp-extended-optional-parameters-length.pcapng')[0] as OpenMessage;
      expect(parameters.extendedOptionalParameters).toBe(true);
    });

    it('RFC 2545 section 3: IPv6 global and link-local next hop (mpbgp-linklocal-nexthop)', () => {
      const update = messages('mpbgp-linklocal-nexthop.pcap')[0] as UpdateMessage;
      const { global, linkLocal } = nextHopAddresses(update.attributes.mpReach!.nextHop);
      expect(formatAddress(global)).toBe('dead:beef::1');
      expect(formatAddress(linkLocal!)).toBe('fe80::1ff:fe01:0');
    });

    it('BGPsec UPDATEs lack AS_PATH: RFC 7606 section 3 (d) treat-as-withdraw with Missing Well-known Attribute', () => {
      const updates = messages('bgp-bgpsec.pcap').filter(
        (message): message is UpdateMessage => message.type === 2 && message.attributes.mpReach !== undefined,
      );
      expect(updates.length).toBeGreaterThan(0);
      for (const candidate of updates) {
        expect(candidate.treatAsWithdraw).toBe(true);
        expect(candidate.errors.map((error) => [error.notificationSubcode, error.attributeType])).toEqual([[3, 2]]);
      }
    });
  });
});
