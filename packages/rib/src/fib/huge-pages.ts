/**
 * Transparent huge pages for the FIB's memory, through the small Node-API addon in `native/huge-pages.c` (which says
 * why). Without the addon (another platform, a build without a C compiler, a runtime other than Node) or with huge
 * pages off in the kernel, everything works the same, only slower when cache-cold.
 *
 * Node's modules are reached through `process.getBuiltinModule`, not imported, so the package still loads where
 * there is no Node.
 */
import type * as Fs from 'node:fs';
import type * as Path from 'node:path';
import type * as Url from 'node:url';

interface HugePagesAddon {
  advise(buffer: ArrayBuffer): number;
  address(buffer: ArrayBuffer): number;
}

/** Options of {@link Ipv4Fib} and {@link Ipv6Fib}. */
export interface FibOptions {
  /**
   * Ask for transparent huge pages for the lookup entries when the machine allows it (see {@link hugePageSupport}).
   * Default true: cache-cold lookups in a full table then miss the TLB far less often.
   */
  readonly hugePages?: boolean;
}

/** Whether FIB memory can be placed in huge pages here, and why not when it cannot. */
export interface HugePageSupport {
  /** True when FIB memory is marked for transparent huge pages. */
  readonly available: boolean;
  /** What was found: the addon's path when available, otherwise the reason it is not. */
  readonly detail: string;
}

interface NodeModules {
  fs: typeof Fs;
  path: typeof Path;
  url: typeof Url;
}

const ADDON_FILE = 'huge-pages.node';
const THP_SETTING = '/sys/kernel/mm/transparent_hugepage/enabled';

let addon: HugePagesAddon | undefined;
let support: HugePageSupport | undefined;

function nodeModules(): NodeModules | undefined {
  const get = (globalThis as { process?: { getBuiltinModule?: (name: string) => unknown } }).process?.getBuiltinModule;
  if (typeof get !== 'function') return undefined;
  return {
    fs: get('node:fs') as NodeModules['fs'],
    path: get('node:path') as NodeModules['path'],
    url: get('node:url') as NodeModules['url'],
  };
}

/** The folder of this module, in the ESM and CJS builds and under the test runner. */
function moduleDir(node: NodeModules): string | undefined {
  if (typeof __dirname === 'string') return __dirname;
  try {
    return node.path.dirname(node.url.fileURLToPath(import.meta.url));
  } catch {
    return undefined;
  }
}

function detect(): HugePageSupport {
  const node = nodeModules();
  if (node === undefined) return { available: false, detail: 'not running in Node' };
  const setting = process.env['PATRONUS_HUGE_PAGES'];
  if (setting === '0' || setting === 'false') return { available: false, detail: `PATRONUS_HUGE_PAGES=${setting}` };
  if (process.platform !== 'linux') return { available: false, detail: 'transparent huge pages are Linux only' };
  let thp: string;
  try {
    thp = node.fs.readFileSync(THP_SETTING, 'utf8');
  } catch {
    return { available: false, detail: `the kernel has no transparent huge pages (${THP_SETTING} unreadable)` };
  }
  if (thp.includes('[never]')) return { available: false, detail: `${THP_SETTING} is set to never` };
  const here = moduleDir(node);
  const target = `${process.platform}-${process.arch}`;
  // beside the built entry (dist/native/<platform>-<arch>/), or from src/fib in the source tree
  const candidates =
    here === undefined
      ? []
      : [
          node.path.join(here, 'native', target, ADDON_FILE),
          node.path.join(here, '../../dist/native', target, ADDON_FILE),
        ];
  const path = candidates.find((candidate) => node.fs.existsSync(candidate));
  if (path === undefined) return { available: false, detail: `no huge-page addon built for ${target}` };
  try {
    const module = { exports: {} as Partial<HugePagesAddon> };
    process.dlopen(module, path);
    if (typeof module.exports.advise !== 'function') return { available: false, detail: `${path} is not the addon` };
    addon = module.exports as HugePagesAddon;
    return { available: true, detail: path };
  } catch (error) {
    return { available: false, detail: `${path} did not load: ${(error as Error).message}` };
  }
}

/**
 * Whether FIB memory can be placed in transparent huge pages on this machine (detected once). Set
 * `PATRONUS_HUGE_PAGES=0` to turn huge pages off for the whole process; a FIB's `hugePages: false` option turns them
 * off for that FIB.
 */
export function hugePageSupport(): HugePageSupport {
  support ??= detect();
  return support;
}

/**
 * Marks the whole 2 MiB pages inside `buffer` for transparent huge pages (pages touched later are then allocated as
 * huge pages; ones already touched are collapsed by the kernel in the background). Returns the bytes marked.
 * @internal
 */
export function adviseHugePages(buffer: ArrayBuffer): number {
  if (!hugePageSupport().available) return 0;
  return addon!.advise(buffer);
}

/**
 * Bytes of transparent huge pages the kernel has given the memory of `buffer`: the AnonHugePages of the mappings
 * (/proc/self/smaps) that overlap it, or 0. Marking part of a mapping splits it, so the memory usually spans two or
 * three mappings; a mapping that reaches beyond the buffer is counted whole.
 * @internal
 */
export function hugePageBytesAt(buffer: ArrayBuffer): number {
  const node = nodeModules();
  if (node === undefined || !hugePageSupport().available) return 0;
  const start = addon!.address(buffer);
  const end = start + buffer.byteLength;
  let smaps: string;
  try {
    smaps = node.fs.readFileSync('/proc/self/smaps', 'utf8');
  } catch {
    return 0;
  }
  let total = 0;
  let overlaps = false;
  for (const line of smaps.split('\n')) {
    const range = /^([0-9a-f]+)-([0-9a-f]+) /.exec(line);
    if (range !== null) {
      overlaps = parseInt(range[1]!, 16) < end && parseInt(range[2]!, 16) > start;
      continue;
    }
    const huge = overlaps ? /^AnonHugePages:\s+(\d+) kB/.exec(line) : null;
    if (huge !== null) total += Number(huge[1]) * 1024;
  }
  return total;
}
