// Compiles WebAssembly text with the `wabt` npm package: the one compile step of every package's build-wasm script,
// so that their committed modules come out byte for byte the same way.
import wabt from 'wabt';

/**
 * The validated binary of a WAT module, with no debug names and canonical LEB128s, so the bytes are reproducible.
 * `features` are wabt's feature flags (`{ simd: true }`).
 */
export async function compileWat(name, source, features = {}) {
  const toolkit = await wabt();
  const module = toolkit.parseWat(name, source, features);
  try {
    module.resolveNames();
    module.validate();
    return module.toBinary({ write_debug_names: false, canonicalize_lebs: true }).buffer;
  } finally {
    module.destroy();
  }
}
