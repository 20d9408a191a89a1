import { sha256 as nobleSha256Digest } from '@noble/hashes/sha2.js';

/** A SHA-256 function: the 32-byte digest of `data`. */
export type Sha256Function = (data: Uint8Array) => Uint8Array;

/**
 * A SHA-256 function that writes the 32-byte digest of `data` into `out` at `offset`, and returns the same digest as a
 * chunk-store key (the 32 bytes as a 32-character string, one UTF-16 unit per byte: what `chunkKey` makes of them).
 */
export type Sha256IntoFunction = (data: Uint8Array, out: Uint8Array, offset: number) => string;

/** Which implementation computes chunk ids. */
export type Sha256Implementation = 'node:crypto' | '@noble/hashes';

/** A SHA-256 implementation with its name, as chosen by {@link selectSha256}. */
export interface Sha256Provider {
  /** The implementation's name. */
  readonly implementation: Sha256Implementation;
  /** Computes the 32-byte SHA-256 digest of `data`. */
  readonly digest: Sha256Function;
  /**
   * Writes the 32-byte SHA-256 digest of `data` into `out[offset..offset+32)` and returns it as a chunk-store key: the
   * form to use when digests of many small chunks go into one array and an index (no Buffer per digest).
   */
  readonly digestInto: Sha256IntoFunction;
}

/** Length of a chunk id (a SHA-256 digest), in bytes. */
export const CHUNK_ID_BYTES = 32;

interface NodeCryptoSubset {
  hash?: {
    (algorithm: string, data: Uint8Array, outputEncoding: 'buffer'): Uint8Array;
    (algorithm: string, data: Uint8Array, outputEncoding: 'latin1'): string;
  };
  createHash: (algorithm: string) => { update(data: Uint8Array): { digest(): Uint8Array } };
}

interface ProcessWithBuiltins {
  getBuiltinModule?: (id: string) => unknown;
}

/**
 * Loads `node:crypto` without a static import, so bundles for browsers (where it does not exist) still load: Node's
 * `process.getBuiltinModule` (20.16+) returns it synchronously in both ESM and CommonJS.
 */
function loadNodeCrypto(): NodeCryptoSubset | undefined {
  const processObject = (globalThis as { process?: ProcessWithBuiltins }).process;
  const getBuiltinModule = processObject?.getBuiltinModule;
  if (typeof getBuiltinModule !== 'function') return undefined;
  try {
    const crypto = getBuiltinModule('node:crypto') as NodeCryptoSubset | undefined;
    return crypto !== undefined && typeof crypto.createHash === 'function' ? crypto : undefined;
  } catch {
    return undefined;
  }
}

/** SHA-256 in pure JavaScript (`@noble/hashes`): works everywhere, about 10x slower than `node:crypto` here. */
export const nobleSha256: Sha256Provider = {
  implementation: '@noble/hashes',
  digest: (data: Uint8Array): Uint8Array => nobleSha256Digest(data),
  digestInto: (data: Uint8Array, out: Uint8Array, offset: number): string => {
    const digest = nobleSha256Digest(data);
    out.set(digest, offset);
    return String.fromCharCode.apply(null, digest as unknown as number[]);
  },
};

/**
 * SHA-256 through `node:crypto`, or `undefined` where `node:crypto` does not exist (browsers). Uses the one-shot
 * `crypto.hash` (Node 20.12+), which skips the Hash object `createHash` allocates per call.
 */
export function nodeCryptoSha256(): Sha256Provider | undefined {
  const crypto = loadNodeCrypto();
  if (crypto === undefined) return undefined;
  const oneShot = crypto.hash;
  if (typeof oneShot === 'function') {
    return {
      implementation: 'node:crypto',
      digest: (data: Uint8Array): Uint8Array => oneShot('sha256', data, 'buffer'),
      // A latin1 string (one char per byte) costs less than a Buffer to hand back from C++ (about 15% more digests
      // per second on 4 KiB chunks here, where the per-call cost is a third of the hashing time), and it is the key.
      digestInto: (data: Uint8Array, out: Uint8Array, offset: number): string => {
        const key = oneShot('sha256', data, 'latin1');
        for (let index = 0; index < 32; index++) out[offset + index] = key.charCodeAt(index);
        return key;
      },
    };
  }
  const createHash = crypto.createHash;
  return {
    implementation: 'node:crypto',
    digest: (data: Uint8Array): Uint8Array => createHash('sha256').update(data).digest(),
    digestInto: (data: Uint8Array, out: Uint8Array, offset: number): string => {
      const digest = createHash('sha256').update(data).digest();
      out.set(digest, offset);
      return String.fromCharCode.apply(null, digest as unknown as number[]);
    },
  };
}

/**
 * Chooses the SHA-256 implementation: `node:crypto` when present (or when `preferred` asks for it and it exists),
 * `@noble/hashes` otherwise. Both give identical digests; tests call this with each `preferred` value.
 *
 * @example
 * const { implementation, digest } = selectSha256();
 * digest(new TextEncoder().encode('abc')); // ba7816bf...
 */
export function selectSha256(preferred?: Sha256Implementation): Sha256Provider {
  if (preferred === '@noble/hashes') return nobleSha256;
  return nodeCryptoSha256() ?? nobleSha256;
}

/** The implementation chosen once when this module loaded: `node:crypto` under Node, `@noble/hashes` elsewhere. */
export const defaultSha256: Sha256Provider = selectSha256();

/**
 * The chunk id of `data`: its SHA-256 digest (32 bytes), computed by {@link defaultSha256}.
 *
 * @example
 * const id = chunkId(new Uint8Array([1, 2, 3]));
 */
export function chunkId(data: Uint8Array): Uint8Array {
  return defaultSha256.digest(data);
}

const HEX_DIGITS: readonly string[] = Array.from({ length: 256 }, (_, value) => value.toString(16).padStart(2, '0'));

/** Formats a chunk id (or any bytes) as lowercase hexadecimal, for logs and errors. */
export function chunkIdToHex(id: Uint8Array): string {
  let text = '';
  for (const byte of id) text += HEX_DIGITS[byte]!;
  return text;
}
