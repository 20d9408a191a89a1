// Compiles the hand-written chunking kernels (src/chunking/fastcdc.wat, src/chunking/rabin.wat) with the `wabt` npm
// package and writes their bytes, base64, into src/chunking/<name>-wasm.generated.ts, which are committed so that the
// package needs no toolchain at install or run time. `--check` compiles and compares instead (exit 1 when stale).
//
//   node scripts/build-chunking-wasm.mjs          (from packages/wanopt)
//   node scripts/build-chunking-wasm.mjs --check
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileWat } from '../../../scripts/wat.mjs';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const wabtVersion = createRequire(import.meta.url)('wabt/package.json').version;

/** The kernels: WAT source, generated file, and the prefix of the exported constants. */
export const CHUNKING_KERNELS = [
  { name: 'fastcdc', prefix: 'FASTCDC', title: 'FastCDC' },
  { name: 'rabin', prefix: 'RABIN', title: 'Rabin' },
];

/** Compiles a WAT source to WebAssembly bytes (no debug names, so the output is reproducible). */
export async function compileChunkingKernel(name, source) {
  return compileWat(`${name}.wat`, source);
}

function render(kernel, bytes, sourceHash) {
  return `// GENERATED FILE, DO NOT EDIT. Built from src/chunking/${kernel.name}.wat by scripts/build-chunking-wasm.mjs (wabt
// ${wabtVersion}). Change the WAT, then run \`node scripts/build-chunking-wasm.mjs\` in packages/wanopt;
// test/chunking/kernels-wasm.test.ts recompiles the WAT and fails when this file is stale.

/** SHA-256 (hex) of the ${kernel.name}.wat source these bytes were compiled from. */
export const ${kernel.prefix}_WAT_SHA256: string = '${sourceHash}';

/** The compiled ${kernel.title} scan kernel, base64 (${bytes.length} bytes). */
export const ${kernel.prefix}_WASM_BASE64: string =
  '${Buffer.from(bytes).toString('base64')}';
`;
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  let stale = false;
  for (const kernel of CHUNKING_KERNELS) {
    const source = readFileSync(resolve(packageDir, `src/chunking/${kernel.name}.wat`), 'utf8');
    const generatedPath = resolve(packageDir, `src/chunking/${kernel.name}-wasm.generated.ts`);
    const text = render(
      kernel,
      await compileChunkingKernel(kernel.name, source),
      createHash('sha256').update(source).digest('hex'),
    );
    if (process.argv.includes('--check')) {
      if (readFileSync(generatedPath, 'utf8') !== text) {
        console.error(`${generatedPath} is stale: run node scripts/build-chunking-wasm.mjs`);
        stale = true;
      }
    } else {
      writeFileSync(generatedPath, text);
    }
  }
  if (stale) process.exit(1);
}
