/**
 * Test helpers shared by every package's suite.
 *
 * The rule they enforce: a test that needs a real component (a daemon, a kernel feature, a data file) may skip when
 * vitest is run by hand on a machine that lacks it, but in CI and under `npm test` a missing component is a failure
 * that names the command to fix it, never a skip.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** True when running under CI (`CI=true` or `CI=1`). */
export const isCi: boolean = process.env.CI === 'true' || process.env.CI === '1';

/**
 * True when a missing component must fail its suite rather than skip it: in CI, and under `npm test` (which installs
 * what it can first, so anything still missing is a real failure with the command to fix it).
 */
export const isComponentRequired: boolean = isCi || process.env.PATRONUS_REQUIRE_COMPONENTS === '1';

/** The repository root (where the root package.json is); the benchmark runner gives it, as it runs bundles elsewhere. */
export const repositoryRoot: string =
  process.env.PATRONUS_REPOSITORY_ROOT ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * The shared test data folder: `PATRONUS_SHARED_DATA` when set, else `../shared/data` beside the repository. A clone
 * made elsewhere from a local checkout (as CI clones the working repository into a temporary folder) has no data
 * beside it; it uses the data beside the repository it was cloned from.
 */
export const sharedDataDir: string = process.env.PATRONUS_SHARED_DATA ?? findSharedData();

function findSharedData(): string {
  const beside = resolve(repositoryRoot, '../shared/data');
  if (existsSync(beside)) return beside;
  const origin = spawnSync('git', ['-C', repositoryRoot, 'remote', 'get-url', 'origin'], { encoding: 'utf8' });
  const url = origin.status === 0 ? origin.stdout.trim() : '';
  if (isAbsolute(url)) {
    const besideOrigin = resolve(url, '../shared/data');
    if (existsSync(besideOrigin)) return besideOrigin;
  }
  return beside;
}

/** A component a test needs that is not present; thrown in CI, turned into a skip elsewhere. */
export class MissingComponentError extends Error {
  readonly code = 'ERR_TEST_MISSING_COMPONENT';
  readonly component: string;
  constructor(component: string, hint: string) {
    super(`${component} is missing: ${hint}`);
    this.name = 'MissingComponentError';
    this.component = component;
  }
}

const SYSTEM_PATHS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** The absolute path of an executable on PATH or in the system bin folders, or `undefined`. */
export function findExecutable(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), ...SYSTEM_PATHS];
  for (const dir of dirs) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; try the next folder
    }
  }
  return undefined;
}

/** How a suite should treat a component: present (path), or absent with the reason. */
export interface ComponentCheck {
  /** Where the component is (an executable or a file path), when present. */
  readonly path: string | undefined;
  /** Why the component is absent, when it is. */
  readonly reason: string | undefined;
}

function resolveCheck(component: string, path: string | undefined, hint: string): ComponentCheck {
  if (path !== undefined) return { path, reason: undefined };
  const error = new MissingComponentError(component, hint);
  if (isComponentRequired) throw error;
  return { path: undefined, reason: error.message };
}

/**
 * Checks for an executable (a daemon or tool from Debian). In CI a missing one throws, failing the suite.
 *
 * @example
 * const bgpdump = requireExecutable('bgpdump');
 * describe.skipIf(bgpdump.path === undefined)('bgpdump parity', () => { ... });
 */
export function requireExecutable(name: string): ComponentCheck {
  return resolveCheck(name, findExecutable(name), 'install the system packages with: sudo scripts/setup-system.sh');
}

/** Checks for a data file or folder (for example under `../shared/data`). In CI a missing one throws. */
export function requireFile(path: string): ComponentCheck {
  return resolveCheck(
    path,
    existsSync(path) ? path : undefined,
    'the shared test data is expected beside the repository',
  );
}

/** Checks that the process runs as root (for kernel tests: BPF, namespaces). In CI a non-root run throws. */
export function requireRoot(): ComponentCheck {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  return resolveCheck('root privileges', isRoot ? 'root' : undefined, 'run the kernel tests as root');
}

/** Runs a command to completion and returns its output; throws with stderr when it fails. */
export function run(
  command: string,
  args: readonly string[],
  options: { input?: string | Uint8Array; timeoutMs?: number; cwd?: string } = {},
): string {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    cwd: options.cwd,
    maxBuffer: 512 * 1024 * 1024,
    timeout: options.timeoutMs ?? 120_000,
    ...(options.input === undefined ? {} : { input: options.input }),
  });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited with ${String(result.status)}: ${result.stderr}`);
  }
  return result.stdout;
}

/** The export names a built entry point has when loaded one way. */
export interface BuiltExports {
  readonly esm: readonly string[];
  readonly cjs: readonly string[];
}

/**
 * Loads a package's *built* entry point the way a user's Node does, through its `exports` map, once with `import`
 * and once with `require`, each in a fresh process outside vitest's resolver, and returns the export names.
 */
export function loadBuiltEntry(specifier: string): BuiltExports {
  const esmScript = `const m = await import(${JSON.stringify(specifier)}); console.log(JSON.stringify(Object.keys(m).filter((k) => k !== 'default' && k !== 'module.exports').sort()));`;
  const cjsScript = `const m = require(${JSON.stringify(specifier)}); console.log(JSON.stringify(Object.keys(m).sort()));`;
  const node = process.execPath;
  const esm = JSON.parse(run(node, ['--input-type=module', '-e', esmScript], { cwd: repositoryRoot })) as string[];
  const cjs = JSON.parse(run(node, ['--input-type=commonjs', '-e', cjsScript], { cwd: repositoryRoot })) as string[];
  return { esm, cjs };
}

/** The bytes of `parts` one after another, in one new array. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
