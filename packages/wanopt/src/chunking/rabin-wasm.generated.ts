// GENERATED FILE, DO NOT EDIT. Built from src/chunking/rabin.wat by scripts/build-chunking-wasm.mjs (wabt
// 1.0.39). Change the WAT, then run `node scripts/build-chunking-wasm.mjs` in packages/wanopt;
// test/chunking/kernels-wasm.test.ts recompiles the WAT and fails when this file is stale.

/** SHA-256 (hex) of the rabin.wat source these bytes were compiled from. */
export const RABIN_WAT_SHA256: string = '81085883c688ff94c9796302e045e334f2acba40bebd42b021d82f021ccff323';

/** The compiled Rabin scan kernel, base64 (576 bytes). */
export const RABIN_WASM_BASE64: string =
  'AGFzbQEAAAABFwNgAAF/YAN/f38AYAh/f39/f39/fwF/AwYFAAAAAQIFAwEAFgYLAn4BQgALfwFBAAsHOwYGbWVtb3J5AgAHZ2V0SGlnaAAABmdldExvdwABCWdldExlbmd0aAACCHNldFN0YXRlAAMEc2NhbgAECsUDBQgAIwBCIIinCwUAIwCnCwQAIwELEgAgAK1CIIYgAa2EJAAgAiQBC5sDBAF/AX4FfwF+IAAhCCMAIQkjASEKIAQgAmohDiADQQtrrSEPAkADQCAKIARJBEAgBCAKayENIA0gASAIa0sEQCABIAhrIQ0LIAggDWohCCAKIA1qIQogCiAESQ0CCwJAA0AgCiAOTw0BIAggAU8NAyAJQgiGIAgtAACthCAJIA+Ip0H4D3EpAwCFIQkgCEEBaiEIIApBAWohCiAKIAVPIAmnIAdLcSAKIAZPcgRAIAtBAnQgCDYCgCAgC0EBaiELQgAhCUEAIQoMAwsMAAsLIAggAU8NASAGIAprIQ0gDSABIAhrSwRAIAEgCGshDQsgCCANaiEMIAogDWohCgNAIAlCCIYgCC0AAK0gCCACay0AAEEDdCkDgBCFhSAJIA+Ip0H4D3EpAwCFIQkgCEEBaiEIIAmnIAdLBEAgC0ECdCAINgKAICALQQFqIQtCACEJQQAhCiAIIAFJDQIMAwsgCCAMSQ0ACyAKIAZJDQEgC0ECdCAINgKAICALQQFqIQtCACEJQQAhCiAIIAFJDQALCyAJJAAgCiQBIAsL';
