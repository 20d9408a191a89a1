/**
 * Address and prefix text for MRT output. IPv6 text follows the C library's `inet_ntop` (RFC 5952 compression of the
 * longest run of two or more zero groups, first run on a tie, lower-case hex, and the dotted IPv4 tail for
 * IPv4-compatible and IPv4-mapped addresses), because `bgpdump -m` output is what scripts parse.
 */

/** Formats 4 bytes at `offset` as dotted-quad IPv4 text. */
export function formatIpv4At(bytes: Uint8Array, offset: number): string {
  return `${bytes[offset]!}.${bytes[offset + 1]!}.${bytes[offset + 2]!}.${bytes[offset + 3]!}`;
}

/** Formats an IPv4 address held as an unsigned 32-bit number as dotted-quad text. */
export function formatIpv4Number(value: number): string {
  return `${value >>> 24}.${(value >>> 16) & 0xff}.${(value >>> 8) & 0xff}.${value & 0xff}`;
}

/** Formats 16 bytes at `offset` as IPv6 text, exactly as glibc `inet_ntop(AF_INET6)` does. */
export function formatIpv6At(bytes: Uint8Array, offset: number): string {
  let bestBase = -1;
  let bestLength = 0;
  let runBase = -1;
  let runLength = 0;
  for (let word = 0; word < 8; word++) {
    const value = (bytes[offset + word * 2]! << 8) | bytes[offset + word * 2 + 1]!;
    if (value === 0) {
      if (runBase === -1) {
        runBase = word;
        runLength = 1;
      } else runLength++;
    } else if (runBase !== -1) {
      if (runLength > bestLength) {
        bestBase = runBase;
        bestLength = runLength;
      }
      runBase = -1;
    }
  }
  if (runBase !== -1 && runLength > bestLength) {
    bestBase = runBase;
    bestLength = runLength;
  }
  // A single zero group is not compressed (RFC 5952 section 4.2.2).
  if (bestLength < 2) bestBase = -1;
  let text = '';
  for (let word = 0; word < 8; word++) {
    if (bestBase !== -1 && word >= bestBase && word < bestBase + bestLength) {
      if (word === bestBase) text += ':';
      continue;
    }
    if (word !== 0) text += ':';
    // IPv4-compatible (::a.b.c.d) and IPv4-mapped (::ffff:a.b.c.d) addresses end in dotted quad.
    if (
      word === 6 &&
      bestBase === 0 &&
      (bestLength === 6 || (bestLength === 5 && bytes[offset + 10] === 0xff && bytes[offset + 11] === 0xff))
    ) {
      text += formatIpv4At(bytes, offset + 12);
      return text;
    }
    text += ((bytes[offset + word * 2]! << 8) | bytes[offset + word * 2 + 1]!).toString(16);
  }
  if (bestBase !== -1 && bestBase + bestLength === 8) text += ':';
  return text;
}

/** Formats an address of `length` bytes (4 or 16) at `offset`. */
export function formatAddressAt(bytes: Uint8Array, offset: number, length: number): string {
  return length === 4 ? formatIpv4At(bytes, offset) : formatIpv6At(bytes, offset);
}

/** Parses dotted-quad IPv4 or IPv6 text into 4 or 16 bytes; throws a `TypeError` on anything else. */
export function parseAddress(text: string): Uint8Array {
  if (text.includes(':')) return parseIpv6(text);
  const parts = text.split('.');
  if (parts.length !== 4) throw new TypeError(`not an IPv4 address: ${text}`);
  const bytes = new Uint8Array(4);
  for (let index = 0; index < 4; index++) {
    const part = parts[index]!;
    const value = Number(part);
    if (!/^\d{1,3}$/.test(part) || value > 255) throw new TypeError(`not an IPv4 address: ${text}`);
    bytes[index] = value;
  }
  return bytes;
}

function parseIpv6(text: string): Uint8Array {
  const bytes = new Uint8Array(16);
  let head = text;
  let tailBytes: Uint8Array | undefined;
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    tailBytes = parseAddress(text.slice(lastColon + 1));
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = head.split('::');
  if (halves.length > 2) throw new TypeError(`not an IPv6 address: ${text}`);
  const parseGroups = (part: string): number[] =>
    part === ''
      ? []
      : part.split(':').map((group) => {
          if (!/^[0-9a-fA-F]{1,4}$/.test(group)) throw new TypeError(`not an IPv6 address: ${text}`);
          return Number.parseInt(group, 16);
        });
  const left = parseGroups(halves[0]!);
  const right = halves.length === 2 ? parseGroups(halves[1]!) : [];
  const groups =
    halves.length === 2 ? [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right] : left;
  if (groups.length !== 8 || (halves.length === 2 && left.length + right.length > 7)) {
    throw new TypeError(`not an IPv6 address: ${text}`);
  }
  for (let index = 0; index < 8; index++) {
    bytes[index * 2] = groups[index]! >> 8;
    bytes[index * 2 + 1] = groups[index]! & 0xff;
  }
  if (tailBytes !== undefined) bytes.set(tailBytes, 12);
  return bytes;
}
