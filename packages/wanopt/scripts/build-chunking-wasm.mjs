// Compiles the hand-written FastCDC scan kernel (src/chunking/fastcdc.wat) with the `wabt` npm package and writes the
// bytes, base64, into src/chunking/fastcdc-wasm.generated.ts, which is committed so that the package needs no
// toolchain at install or run time. `--check` compiles and compares instead (exit 1 when the generated file is stale).
//
//   node scripts/build-chunking-wasm.mjs          (from packages/wanopt)
//   node scripts/build-chunking-wasm.mjs --check
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import wabt from 'wabt';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const watPath = resolve(packageDir, 'src/chunking/fastcdc.wat');
const generatedPath = resolve(packageDir, 'src/chunking/fastcdc-wasm.generated.ts');
const wabtVersion = createRequire(import.meta.url)('wabt/package.json').version;

/** Compiles the WAT source to WebAssembly bytes (no debug names, so the output is reproducible). */
export async function compileFastCdcKernel(source) {
  const toolkit = await wabt();
  const module = toolkit.parseWat('fastcdc.wat', source);
  try {
    module.resolveNames();
    module.validate();
    return module.toBinary({ write_debug_names: false, canonicalize_lebs: true }).buffer;
  } finally {
    module.destroy();
  }
}

/** The generated TypeScript for these bytes. */
export function renderFastCdcKernel(bytes, sourceHash) {
  return `// GENERATED FILE, DO NOT EDIT. Built from src/chunking/fastcdc.wat by scripts/build-chunking-wasm.mjs (wabt
// ${wabtVersion}). Change the WAT, then run \`node scripts/build-chunking-wasm.mjs\` in packages/wanopt;
// test/chunking/fastcdc-wasm.test.ts recompiles the WAT and fails when this file is stale.

/** SHA-256 (hex) of the fastcdc.wat source these bytes were compiled from. */
export const FASTCDC_WAT_SHA256: string = '${sourceHash}';

/** The compiled FastCDC scan kernel, base64 (${bytes.length} bytes). */
export const FASTCDC_WASM_BASE64: string =
  '${Buffer.from(bytes).toString('base64')}';
`;
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const source = readFileSync(watPath, 'utf8');
  const sourceHash = createHash('sha256').update(source).digest('hex');
  const text = renderFastCdcKernel(await compileFastCdcKernel(source), sourceHash);
  if (process.argv.includes('--check')) {
    if (readFileSync(generatedPath, 'utf8') !== text) {
      console.error(`${generatedPath} is stale: run node scripts/build-chunking-wasm.mjs`);
      process.exit(1);
    }
  } else {
    writeFileSync(generatedPath, text);
  }
}
