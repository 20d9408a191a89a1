import { requireFile, sharedDataDir } from '@patronus-internal/test-support';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AttributeFlag,
  AttributeType,
  BgpDecodeError,
  createPathAttributes,
  createUpdate,
  decodeMessage,
  encodeMessage,
  type ExtendedCommunity,
  familyKey,
  type LargeCommunity,
  type MpReachNlri,
  packUpdates,
  parseAddress,
  parseIpv4,
  parsePrefix,
  type PathAttributesInit,
  type Prefix,
  type SessionContext,
  type UnknownAttribute,
  type UpdateMessage,
  WellKnownCommunity,
} from '../../src/index';

const root = join(sharedDataDir, 'bgp/exabgp-qa');
const licence = requireFile(join(root, 'LICENCE.txt'));
const encodingDirectory = join(root, 'encoding');
const decodingDirectory = join(root, 'decoding');

/** Session contexts the ExaBGP QA neighbours negotiate (the .conf files are not part of the data set). */
function contextFor(file: string): SessionContext {
  return {
    fourOctetAsn: file !== 'conf-no-asn4.ci',
    addPath: new Set(
      file === 'conf-addpath.ci' || file === 'conf-path-information.ci' ? [familyKey(1, 1), familyKey(1, 128)] : [],
    ),
    extendedMessage: false,
  };
}

/** Routes of families the issue does not require: their vectors are still decoded and re-encoded byte-exact. */
const skippedCommands: readonly { readonly pattern: RegExp; readonly reason: string }[] = [
  { pattern: /\bflow\b/, reason: 'flowspec (RFC 8955) NLRI is kept raw, not built' },
  { pattern: /\b(vpls|l2vpn)\b/, reason: 'L2VPN/VPLS NLRI is kept raw, not built' },
  { pattern: /\bmcast-vpn\b/, reason: 'MVPN NLRI is kept raw, not built' },
  { pattern: /\bmup\b/, reason: 'SRv6 MUP NLRI is kept raw, not built' },
  { pattern: /\bsr-policy\b/, reason: 'SR Policy NLRI is kept raw, not built' },
  { pattern: /\b(rd|mpls-vpn)\b/, reason: 'VPN (RFC 4364) NLRI with Route Distinguisher is kept raw, not built' },
  { pattern: /\blabel\b/, reason: 'labeled unicast (RFC 8277) NLRI is kept raw, not built' },
  { pattern: /\bl2info:/, reason: 'the Layer2 Info extended community is not in the issue' },
  { pattern: /\bbgp-prefix-sid\b/, reason: 'the Prefix-SID attribute (RFC 8669) is kept raw, not built' },
  {
    pattern: /^announce ipv6 unicast 2001:db8:1::1\/128 next-hop 2001:db8::ffff /,
    reason: 'ExaBGP adds the link-local next hop of its local address, configured in a .conf the data set lacks',
  },
];

/**
 * Raw vectors that a conforming receiver must refuse: ExaBGP sends a "generic attribute" 0x99 with the Optional bit
 * clear, which RFC 4271 section 6.3 calls an Unrecognized Well-known Attribute (a session reset).
 */
const refusedVectors: readonly { readonly file: string; readonly hexIncludes: string; readonly subcode: number }[] = [
  { file: 'conf-generic-attribute.ci', hexIncludes: '6099', subcode: 2 },
  { file: 'conf-generic-attribute.ci', hexIncludes: '7099', subcode: 2 },
];

interface Vector {
  readonly file: string;
  readonly command: string | undefined;
  readonly raw: string[];
}

function readVectors(): Vector[] {
  const vectors: Vector[] = [];
  for (const file of readdirSync(encodingDirectory)
    .filter((name) => name.endsWith('.ci'))
    .sort()) {
    let current: Vector | undefined;
    for (const line of readFileSync(join(encodingDirectory, file), 'utf8').split('\n')) {
      const match = /^\d+:(cmd|raw):(.*)$/.exec(line.trim());
      if (match === null) continue;
      if (match[1] === 'cmd') {
        current = { file, command: match[2]!, raw: [] };
        vectors.push(current);
      } else {
        const hex = match[2]!.replaceAll(':', '');
        if (current === undefined || current.file !== file) {
          current = { file, command: undefined, raw: [] };
          vectors.push(current);
        }
        current.raw.push(hex);
      }
    }
  }
  return vectors;
}

const hexOf = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex').toUpperCase();
const bytesOf = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex, 'hex'));

function tokenize(text: string): string[] {
  return text.replaceAll('[', ' [ ').replaceAll(']', ' ] ').split(/\s+/).filter(Boolean);
}

/** Reads `[ a b c ]` or a single value starting at `index`; returns the values and the next index. */
function list(tokens: readonly string[], index: number): [string[], number] {
  if (tokens[index] !== '[') return [[tokens[index]!], index + 1];
  const values: string[] = [];
  let at = index + 1;
  while (tokens[at] !== ']') values.push(tokens[at++]!);
  return [values, at + 1];
}

const communityNames: Readonly<Record<string, number>> = {
  'no-export': WellKnownCommunity.NoExport,
  'no-advertise': WellKnownCommunity.NoAdvertise,
  'no-export-subconfed': WellKnownCommunity.NoExportSubconfed,
  blackhole: WellKnownCommunity.Blackhole,
};

function community(text: string): number {
  const named = communityNames[text];
  if (named !== undefined) return named;
  const [high, low] = text.split(':').map(Number) as [number, number];
  return ((high << 16) | low) >>> 0;
}

/** `target:A:B`, `origin:A:B`, `redirect:A:B` (RFC 4360 sections 3.1-3.3, RFC 5668; RFC 8955 redirect). */
function extendedCommunity(text: string): ExtendedCommunity {
  const [kind, administrator, assigned] = text.split(':') as [string, string, string];
  const number = (value: string): number => (value.includes('.') ? parseIpv4(value) : Number(value));
  if (kind === 'redirect') return { high: ((0x8008 << 16) | Number(administrator)) >>> 0, low: number(assigned) };
  const subtype = kind === 'target' ? 0x02 : 0x03;
  if (administrator.includes('.')) {
    // IPv4 Address Specific: IPv4 (4) + Local Administrator (2).
    const address = parseIpv4(administrator);
    return {
      high: ((0x01 << 24) | (subtype << 16) | (address >>> 16)) >>> 0,
      low: (((address & 0xffff) << 16) | Number(assigned)) >>> 0,
    };
  }
  const asn = Number(administrator);
  if (asn > 0xffff) {
    // Four-octet AS Specific (RFC 5668): AS (4) + Local Administrator (2).
    return {
      high: ((0x02 << 24) | (subtype << 16) | (asn >>> 16)) >>> 0,
      low: (((asn & 0xffff) << 16) | number(assigned)) >>> 0,
    };
  }
  return { high: ((subtype << 16) | asn) >>> 0, low: number(assigned) };
}

/** Builds the UPDATE messages ExaBGP sends for an `announce`/`withdraw` command (iBGP neighbour, ascending order). */
function buildFromCommand(command: string, context: SessionContext): Uint8Array[] {
  const tokens = tokenize(command);
  if (tokens[0] === 'withdraw' && tokens[1] === 'route') {
    return [
      encodeMessage(
        createUpdate({ attributes: createPathAttributes({}), withdrawn: [parsePrefix(tokens[2]!)] }),
        context,
      ),
    ];
  }
  if (tokens[1] === 'eor') {
    // End-of-RIB (RFC 4724 section 2): an empty UPDATE for IPv4 unicast, an empty MP_UNREACH_NLRI otherwise.
    if (tokens[2] === 'ipv4') return [encodeMessage(createUpdate({ attributes: createPathAttributes({}) }), context)];
    const mpUnreach = { afi: 2, safi: 1, withdrawn: [], withdrawnData: undefined };
    // ExaBGP always sets the Extended Length flag on MP_UNREACH_NLRI; the layout records that choice.
    const layout = [AttributeType.MpUnreachNlri | ((AttributeFlag.Optional | AttributeFlag.ExtendedLength) << 8)];
    return [encodeMessage(createUpdate({ attributes: createPathAttributes({ mpUnreach, layout }) }), context)];
  }
  let index: number;
  const prefixes: string[] = [];
  let isIpv6Family = false;
  if (tokens[1] === 'route') {
    prefixes.push(tokens[2]!);
    index = 3;
  } else if (tokens[1] === 'ipv6' || tokens[1] === 'ipv4') {
    isIpv6Family = tokens[1] === 'ipv6';
    prefixes.push(tokens[3]!);
    index = 4;
  } else if (tokens[1] === 'attributes') {
    index = 2;
  } else throw new Error(`unsupported command ${command}`);
  const init: { -readonly [K in keyof PathAttributesInit]: PathAttributesInit[K] } = { asPath: [] };
  let nextHop = '';
  let pathId: number | undefined;
  const unknown: UnknownAttribute[] = [];
  while (index < tokens.length) {
    const keyword = tokens[index++]!;
    switch (keyword) {
      case 'next-hop':
        nextHop = tokens[index++]!;
        break;
      case 'origin':
        init.origin = ['igp', 'egp', 'incomplete'].indexOf(tokens[index++]!);
        break;
      case 'local-preference':
        init.localPref = Number(tokens[index++]);
        break;
      case 'med':
        init.multiExitDisc = Number(tokens[index++]);
        break;
      case 'as-path': {
        const [values, next] = list(tokens, index);
        init.asPath = [{ type: 2, asns: values.map(Number) }];
        index = next;
        break;
      }
      case 'community': {
        const [values, next] = list(tokens, index);
        init.communities = values.map(community);
        index = next;
        break;
      }
      case 'large-community': {
        const [values, next] = list(tokens, index);
        init.largeCommunities = values.map((value): LargeCommunity => {
          const [globalAdministrator, localData1, localData2] = value.split(':').map(Number) as [
            number,
            number,
            number,
          ];
          return { globalAdministrator, localData1, localData2 };
        });
        index = next;
        break;
      }
      case 'extended-community': {
        const [values, next] = list(tokens, index);
        init.extendedCommunities = values.map(extendedCommunity);
        index = next;
        break;
      }
      case 'atomic-aggregate':
        init.atomicAggregate = true;
        break;
      case 'aggregator': {
        const [asn, address] = tokens[index++]!.replace(/[()]/g, '').split(':') as [string, string];
        init.aggregator = { asn: Number(asn), address: parseIpv4(address) };
        break;
      }
      case 'path-information': {
        const value = tokens[index++]!;
        pathId = value.includes('.') ? parseIpv4(value) : Number(value);
        break;
      }
      case 'attribute': {
        const [[typeCode, flags, value]] = [list(tokens, index)[0] as [string, string, string]];
        index = list(tokens, index)[1];
        unknown.push({ flags: Number(flags), typeCode: Number(typeCode), value: bytesOf(value.slice(2)) });
        break;
      }
      case 'nlri':
        while (index < tokens.length) prefixes.push(tokens[index++]!);
        break;
      default:
        throw new Error(`unsupported keyword ${keyword} in ${command}`);
    }
  }
  if (unknown.length > 0) init.unknown = unknown;
  const nlri: Prefix[] = prefixes.map((text) => parsePrefix(text, pathId));
  const nextHopBytes = parseAddress(nextHop);
  if (isIpv6Family || nextHopBytes.length === 16) {
    // IPv6 routes, and IPv4 routes with an IPv6 next hop (RFC 8950), travel in MP_REACH_NLRI.
    const mpReach: MpReachNlri = {
      afi: isIpv6Family ? 2 : 1,
      safi: 1,
      nextHop: nextHopBytes,
      nlri,
      nlriData: undefined,
    };
    // With an IPv4 next hop ExaBGP also sends it as NEXT_HOP.
    if (nextHopBytes.length === 4) init.nextHop = parseIpv4(nextHop);
    return [encodeMessage(createUpdate({ attributes: createPathAttributes({ ...init, mpReach }) }), context)];
  }
  init.nextHop = parseIpv4(nextHop);
  return [encodeMessage(createUpdate({ attributes: createPathAttributes(init), nlri }), context)];
}

const vectors = licence.path === undefined ? [] : readVectors();

describe.skipIf(licence.path === undefined)('ExaBGP QA encoding vectors', () => {
  it('finds the vectors', () => {
    expect(vectors.length).toBeGreaterThan(100);
  });

  it.each(vectors.flatMap((vector) => vector.raw.map((hex) => ({ file: vector.file, hex }))))(
    'decodes and re-encodes byte-exact: $file $hex',
    ({ file, hex }) => {
      const context = contextFor(file);
      const refused = refusedVectors.find((entry) => entry.file === file && hex.includes(entry.hexIncludes));
      if (refused !== undefined) {
        let error: unknown;
        try {
          decodeMessage(bytesOf(hex), context);
        } catch (caught) {
          error = caught;
        }
        expect(error).toBeInstanceOf(BgpDecodeError);
        expect(error).toMatchObject({
          action: 'session-reset',
          notificationCode: 3,
          notificationSubcode: refused.subcode,
        });
        return;
      }
      const message = decodeMessage(bytesOf(hex), context);
      if (message.type === 2) expect(message.errors).toEqual([]);
      expect(hexOf(encodeMessage(message, context))).toBe(hex);
    },
  );

  const buildable = vectors.filter((vector) => vector.command !== undefined);
  it.each(buildable.map((vector) => ({ file: vector.file, command: vector.command!, raw: vector.raw })))(
    'builds the UPDATE from the route: $file $command',
    ({ file, command, raw }) => {
      const skip = skippedCommands.find((entry) => entry.pattern.test(command));
      if (
        skip !== undefined ||
        refusedVectors.some((entry) => entry.file === file && raw.some((hex) => hex.includes(entry.hexIncludes)))
      ) {
        // Listed reason: see skippedCommands / refusedVectors.
        expect(skip?.reason ?? 'refused').toBeTruthy();
        return;
      }
      expect(buildFromCommand(command, contextFor(file)).map(hexOf)).toEqual(raw);
    },
  );
});

describe.skipIf(licence.path === undefined)('ExaBGP QA decoding vectors', () => {
  const files = licence.path === undefined ? [] : readdirSync(decodingDirectory).sort();
  it.each(files)('%s decodes and re-encodes byte-exact', (file) => {
    const [kind, text] = readFileSync(join(decodingDirectory, file), 'utf8').split('\n') as [string, string];
    const context: SessionContext = { fourOctetAsn: true, addPath: new Set(), extendedMessage: false };
    if (kind.startsWith('nlri ')) {
      // BGP-LS NLRI alone (not a message): BGP-LS is not among the families.
      expect(kind).toBe('nlri bgp-ls bgp-ls');
      return;
    }
    let hex = text.replace(/[\s:]/g, '').toUpperCase();
    // Some vectors hold an UPDATE body without its header: add it.
    if (!hex.startsWith('F'.repeat(32))) {
      hex = `${'F'.repeat(32)}${(hex.length / 2 + 19).toString(16).padStart(4, '0').toUpperCase()}02${hex}`;
    }
    const message = decodeMessage(bytesOf(hex), context);
    if (message.type === 2) expect(message.errors).toEqual([]);
    expect(hexOf(encodeMessage(message, context))).toBe(hex);
  });
});

describe('UPDATE packer on the ExaBGP "large" configuration', () => {
  it('packs 500 routes sharing attributes into the fewest 4096-byte UPDATEs, losing none', () => {
    const text = readFileSync(join(encodingDirectory, 'skip-large.conf'), 'utf8');
    const prefixes = [...text.matchAll(/^\s*route (\S+)\s+next-hop/gm)].map((match) => parsePrefix(match[1]!));
    expect(prefixes.length).toBeGreaterThan(100);
    const context: SessionContext = { fourOctetAsn: true, addPath: new Set(), extendedMessage: false };
    const attributes = createPathAttributes({ origin: 0, asPath: [], nextHop: parseIpv4('10.0.0.2'), localPref: 100 });
    const messages = packUpdates(prefixes, attributes, context);
    const decoded = messages.map((bytes) => decodeMessage(bytes, context));
    expect(decoded.flatMap((message) => (message.type === 2 ? message.nlri : []))).toEqual(prefixes);
    // Fewest messages for prefixes kept in order: each UPDATE but the last is too full for the next prefix.
    decoded.slice(1).forEach((message, index) => {
      const first = (message as UpdateMessage).nlri[0]!;
      expect(messages[index]!.length + 1 + ((first.length + 7) >> 3)).toBeGreaterThan(4096);
    });
    expect(messages.every((message) => message.length <= 4096)).toBe(true);
  });
});
