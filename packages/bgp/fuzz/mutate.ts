/**
 * Seeded input mutation for the fuzz targets: bit flips, byte overwrites, truncation, extension, length-field lies,
 * splicing of two seeds, and random path attribute stacks appended to real UPDATEs.
 */

/** A small, fast, seedable PRNG (mulberry32): the same seed gives the same inputs. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Unsigned 32-bit value. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let value = this.state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return (value ^ (value >>> 14)) >>> 0;
  }

  /** Integer in [0, bound). */
  below(bound: number): number {
    return bound <= 0 ? 0 : this.next() % bound;
  }

  /** True with probability 1/n. */
  oneIn(n: number): boolean {
    return this.below(n) === 0;
  }

  /** `count` random bytes. */
  bytes(count: number): Uint8Array {
    const out = new Uint8Array(count);
    for (let index = 0; index < count; index++) out[index] = this.next() & 0xff;
    return out;
  }
}

/** Mixes a run seed and an iteration number into the seed of that iteration's PRNG. */
export function iterationSeed(runSeed: number, iteration: number): number {
  let value = (runSeed ^ Math.imul(iteration + 1, 0x9e3779b1)) >>> 0;
  value = Math.imul(value ^ (value >>> 16), 0x85ebca6b) >>> 0;
  value = Math.imul(value ^ (value >>> 13), 0xc2b2ae35) >>> 0;
  return (value ^ (value >>> 16)) >>> 0;
}

const interesting16 = [0, 1, 2, 3, 4, 18, 19, 23, 255, 256, 4095, 4096, 4097, 0x7fff, 0x8000, 0xfffe, 0xffff];
const interesting8 = [0, 1, 2, 3, 4, 6, 8, 12, 16, 32, 64, 127, 128, 200, 254, 255];

/** Attribute type codes worth stacking: every one this codec decodes plus a few it keeps raw. */
const attributeTypes = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 14, 15, 16, 17, 18, 22, 23, 25, 26, 29, 32, 35, 40, 128, 255];

function randomAttribute(random: Random): Uint8Array {
  const typeCode = attributeTypes[random.below(attributeTypes.length)]!;
  let flags = [0x40, 0x80, 0xc0, 0xe0, 0x50, 0x90, 0xd0][random.below(7)]!;
  if (random.oneIn(8)) flags = random.next() & 0xff;
  const sizes = [0, 1, 2, 3, 4, 5, 6, 8, 11, 12, 16, 20, 24, 32, 40];
  const valueLength = random.oneIn(10) ? random.below(300) : sizes[random.below(sizes.length)]!;
  const value = random.bytes(valueLength);
  // Plausible values help reach deeper code: MP_REACH/UNREACH with a real AFI/SAFI, AS_PATH-like segments.
  if ((typeCode === 14 || typeCode === 15) && valueLength >= 3) {
    value[0] = 0;
    value[1] = 1 + random.below(2);
    value[2] = [1, 2, 4, 70, 128, 133][random.below(6)]!;
    if (typeCode === 14 && valueLength >= 4) value[3] = [4, 16, 32, valueLength][random.below(4)]!;
  }
  if ((typeCode === 2 || typeCode === 17) && valueLength >= 2) {
    value[0] = 1 + random.below(4);
    value[1] = random.below(valueLength);
  }
  const isExtended = (flags & 0x10) !== 0 || valueLength > 255;
  const header = isExtended
    ? [flags | 0x10, typeCode, valueLength >>> 8, valueLength & 0xff]
    : [flags, typeCode, valueLength];
  const out = new Uint8Array(header.length + valueLength);
  out.set(header);
  out.set(value, header.length);
  return out;
}

/** An UPDATE whose path attributes are a random stack, with the given NLRI bytes. */
export function randomAttributeStack(random: Random, nlri: Uint8Array): Uint8Array {
  const attributes: Uint8Array[] = [];
  const count = 1 + random.below(8);
  for (let index = 0; index < count; index++) attributes.push(randomAttribute(random));
  const attributesLength = attributes.reduce((sum, attribute) => sum + attribute.length, 0);
  const length = 19 + 4 + attributesLength + nlri.length;
  const out = new Uint8Array(length);
  out.fill(0xff, 0, 16);
  out[16] = length >>> 8;
  out[17] = length & 0xff;
  out[18] = 2;
  out[21] = attributesLength >>> 8;
  out[22] = attributesLength & 0xff;
  let offset = 23;
  for (const attribute of attributes) {
    out.set(attribute, offset);
    offset += attribute.length;
  }
  out.set(nlri, offset);
  return out;
}

/** Produces one mutated input from the seeds. */
export function mutate(random: Random, seeds: readonly Uint8Array[]): Uint8Array {
  const seed = seeds[random.below(seeds.length)] ?? new Uint8Array(0);
  if (random.oneIn(6))
    return randomAttributeStack(
      random,
      random.oneIn(2) ? new Uint8Array([24, 10, 0, 0]) : random.bytes(random.below(12)),
    );
  let input = seed.slice();
  const rounds = 1 + random.below(4);
  for (let round = 0; round < rounds; round++) {
    switch (random.below(8)) {
      case 0: {
        // Bit flips.
        const flips = 1 + random.below(4);
        for (let index = 0; index < flips && input.length > 0; index++) {
          const position = random.below(input.length);
          input[position]! ^= 1 << random.below(8);
        }
        break;
      }
      case 1:
        // Byte overwrite with an interesting value.
        if (input.length > 0) input[random.below(input.length)] = interesting8[random.below(interesting8.length)]!;
        break;
      case 2:
        // Truncation.
        input = input.slice(0, random.below(input.length + 1));
        break;
      case 3: {
        // Extension with random bytes.
        const extra = random.bytes(random.below(64));
        const longer = new Uint8Array(input.length + extra.length);
        longer.set(input);
        longer.set(extra, input.length);
        input = longer;
        break;
      }
      case 4:
      case 5: {
        // Length-field lies: the header length, the UPDATE's two lengths, or any 8/16-bit position.
        const positions = [16, 19, 21];
        const position = random.oneIn(2) ? positions[random.below(3)]! : random.below(Math.max(1, input.length - 1));
        if (position + 1 < input.length) {
          const value = interesting16[random.below(interesting16.length)]!;
          if (random.oneIn(3) && position !== 16) input[position] = value & 0xff;
          else {
            input[position] = value >>> 8;
            input[position + 1] = value & 0xff;
          }
        }
        break;
      }
      case 6: {
        // Splice: the head of this input with the tail of another seed.
        const other = seeds[random.below(seeds.length)] ?? new Uint8Array(0);
        const head = input.subarray(0, random.below(input.length + 1));
        const tail = other.subarray(random.below(other.length + 1));
        const spliced = new Uint8Array(head.length + tail.length);
        spliced.set(head);
        spliced.set(tail, head.length);
        input = spliced;
        break;
      }
      default: {
        // A random attribute inserted into the attribute block, keeping the header length honest.
        if (input.length >= 23 && input[18] === 2) {
          const attribute = randomAttribute(random);
          const withdrawnLength = (input[19]! << 8) | input[20]!;
          const at = Math.min(input.length, 23 + withdrawnLength);
          const grown = new Uint8Array(input.length + attribute.length);
          grown.set(input.subarray(0, at));
          grown.set(attribute, at);
          grown.set(input.subarray(at), at + attribute.length);
          const length = grown.length;
          grown[16] = (length >>> 8) & 0xff;
          grown[17] = length & 0xff;
          if (at + 1 < grown.length && 21 + withdrawnLength + 1 < grown.length) {
            const attributesLength =
              (((grown[21 + withdrawnLength]! << 8) | grown[22 + withdrawnLength]!) + attribute.length) & 0xffff;
            grown[21 + withdrawnLength] = attributesLength >>> 8;
            grown[22 + withdrawnLength] = attributesLength & 0xff;
          }
          input = grown;
        }
      }
    }
  }
  return input;
}
