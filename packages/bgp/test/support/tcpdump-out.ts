/**
 * Reads what tcpdump's verbose BGP decode (`.out`) says about each message, so tests can compare our decoding with
 * it: message type and length per packet, the attribute list (type, length, flag letters) and the IPv4/IPv6
 * unicast prefixes announced and withdrawn.
 */
import { readFileSync } from 'node:fs';

/** One BGP message as tcpdump printed it. */
export interface TcpdumpMessage {
  readonly packetNumber: number;
  readonly type: number;
  readonly length: number;
  /** The rest of the message's first line (e.g. NOTIFICATION code names). */
  readonly summary: string;
  /** Path attributes: `type/length/flags` with flags as tcpdump's letters (O, T, P, E). */
  readonly attributes: string[];
  /** Withdrawn Routes field prefixes (`10.0.0.0/8` or `10.0.0.0/8#pathId`). */
  readonly withdrawn: string[];
  /** NLRI field prefixes. */
  readonly updated: string[];
  /** MP_REACH_NLRI unicast/multicast prefixes. */
  readonly mpReach: string[];
  /** MP_UNREACH_NLRI unicast/multicast prefixes. */
  readonly mpUnreach: string[];
  /** Attribute value text as printed after `Flags [..]: `, by type code (first occurrence). */
  readonly values: Map<number, string>;
  /** Every line of the message's decode. */
  readonly lines: string[];
}

/** Parses a tcpdump `-v` BGP decode. */
export function readTcpdumpOut(path: string): TcpdumpMessage[] {
  const messages: TcpdumpMessage[] = [];
  let packetNumber = 0;
  let current: TcpdumpMessage | undefined;
  let section: 'none' | 'withdrawn' | 'updated' | 'mpReach' | 'mpUnreach' = 'none';
  let isPrefixFamily = false;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const packet = /^\s*(\d+)\s+\d{4}-\d\d-\d\d /.exec(line);
    if (packet !== null) {
      packetNumber = Number(packet[1]);
      current = undefined;
      continue;
    }
    const message = /^\t\w[\w -]* Message \((\d+)\), length: (\d+)(.*)$/.exec(line);
    if (message !== null) {
      current = {
        packetNumber,
        type: Number(message[1]),
        length: Number(message[2]),
        summary: message[3]!,
        attributes: [],
        withdrawn: [],
        updated: [],
        mpReach: [],
        mpUnreach: [],
        values: new Map(),
        lines: [line],
      };
      messages.push(current);
      section = 'none';
      continue;
    }
    if (current === undefined) continue;
    current.lines.push(line);
    const attribute = /^\t {2}\S.* \((\d+)\), length: (\d+), Flags \[(\w*)\]:? ?(.*)$/.exec(line);
    if (attribute !== null) {
      if (!current.values.has(Number(attribute[1]))) current.values.set(Number(attribute[1]), attribute[4]!.trim());
      current.attributes.push(`${attribute[1]}/${attribute[2]}/${attribute[3]}`);
      section = attribute[1] === '14' ? 'mpReach' : attribute[1] === '15' ? 'mpUnreach' : 'none';
      isPrefixFamily = false;
      continue;
    }
    if (/^\t {2}Withdrawn routes:/.test(line)) section = 'withdrawn';
    else if (/^\t {2}Updated routes:/.test(line)) section = 'updated';
    const family = /^\t {4}AFI: IPv[46] \(\d\), SAFI: (Unicast|Multicast) \(/.exec(line);
    if (family !== null) isPrefixFamily = true;
    const prefix = /^\t {4,6}([0-9a-f.:]+\/\d+)(?:\s+Path Id: (\d+))?\s*$/.exec(line);
    if (prefix !== null) {
      const text = prefix[2] === undefined ? prefix[1]! : `${prefix[1]!}#${prefix[2]}`;
      if (section === 'withdrawn' || section === 'updated') current[section].push(text);
      else if ((section === 'mpReach' || section === 'mpUnreach') && isPrefixFamily) current[section].push(text);
    }
  }
  return messages;
}
