// Compiles the hand-written GF(2^8) SIMD kernel (src/gf/kernel.wat) with the `wabt` npm package and writes the
// bytes, base64, into src/gf/kernel-wasm.generated.ts, which is committed so that the package needs no toolchain at
// install or run time. `--check` compiles and compares instead of writing (exit 1 when the generated file is stale).
//
//   node scripts/build-wasm.mjs          (from packages/wanopt)
//   node scripts/build-wasm.mjs --check
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileWat } from '../../../scripts/wat.mjs';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const watPath = resolve(packageDir, 'src/gf/kernel.wat');
const generatedPath = resolve(packageDir, 'src/gf/kernel-wasm.generated.ts');
const wabtVersion = createRequire(import.meta.url)('wabt/package.json').version;

/** Compiles the WAT source to WebAssembly bytes (SIMD enabled, no debug names so the output is reproducible). */
export async function compileKernel(source) {
  return compileWat('kernel.wat', source, { simd: true });
}

function render(bytes, sourceHash) {
  const base64 = Buffer.from(bytes).toString('base64');
  return `// GENERATED FILE, DO NOT EDIT. Built from src/gf/kernel.wat by scripts/build-wasm.mjs (wabt ${wabtVersion},
// WebAssembly SIMD). Change the WAT, then run \`node scripts/build-wasm.mjs\` in packages/wanopt;
// test/gf/kernel-wasm-build.test.ts recompiles the WAT and fails when this file is stale.

/** SHA-256 (hex) of the kernel.wat source these bytes were compiled from. */
export const KERNEL_WAT_SHA256: string = '${sourceHash}';

/** The compiled GF(2^8) multiply-accumulate kernel module, base64 (${bytes.length} bytes). */
export const KERNEL_WASM_BASE64: string =
  '${base64}';
`;
}

function readGenerated() {
  try {
    const text = readFileSync(generatedPath, 'utf8');
    const hash = /KERNEL_WAT_SHA256: string = '([0-9a-f]+)'/.exec(text)?.[1];
    const base64 = /KERNEL_WASM_BASE64: string =\s*'([A-Za-z0-9+/=]+)'/.exec(text)?.[1];
    return { hash, base64 };
  } catch {
    return { hash: undefined, base64: undefined };
  }
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const source = readFileSync(watPath, 'utf8');
  const sourceHash = createHash('sha256').update(source).digest('hex');
  const bytes = await compileKernel(source);
  const base64 = Buffer.from(bytes).toString('base64');
  if (process.argv.includes('--check')) {
    const generated = readGenerated();
    if (generated.hash !== sourceHash || generated.base64 !== base64) {
      console.error(`${generatedPath} is stale: run node scripts/build-wasm.mjs in packages/wanopt`);
      process.exit(1);
    }
    console.log(`kernel-wasm.generated.ts is up to date (${bytes.length} bytes)`);
  } else {
    writeFileSync(generatedPath, render(bytes, sourceHash));
    console.log(`wrote ${generatedPath} (${bytes.length} bytes of WebAssembly)`);
  }
}
