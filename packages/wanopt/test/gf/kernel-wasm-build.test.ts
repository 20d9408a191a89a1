import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import wabt from 'wabt';
import { describe, expect, it } from 'vitest';
import { kernelWasmBytes } from '../../src/gf/kernel';
import { KERNEL_WAT_SHA256 } from '../../src/gf/kernel-wasm.generated';

const watPath = fileURLToPath(new URL('../../src/gf/kernel.wat', import.meta.url));

describe('the committed WebAssembly kernel', () => {
  it('is exactly what scripts/build-wasm.mjs compiles from src/gf/kernel.wat today (run it after editing the WAT)', async () => {
    const source = readFileSync(watPath, 'utf8');
    expect(KERNEL_WAT_SHA256).toBe(createHash('sha256').update(source).digest('hex'));
    const toolkit = await wabt();
    const module = toolkit.parseWat('kernel.wat', source, { simd: true });
    try {
      module.resolveNames();
      module.validate();
      const compiled = module.toBinary({ write_debug_names: false, canonicalize_lebs: true }).buffer;
      expect(Buffer.from(kernelWasmBytes()).equals(Buffer.from(compiled))).toBe(true);
    } finally {
      module.destroy();
    }
  });
});
