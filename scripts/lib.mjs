// Set-up steps shared by `npm test`, `npm start`, `npm run build` and `.ci/run`: each makes a fresh clone usable
// without a separate install step, and each is a no-op when there is nothing to do.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(fileURLToPath(import.meta.url), '../..');

export function log(message) {
  process.stderr.write(`[patronus] ${message}\n`);
}

/** Runs a command with inherited stdio; exits the process with its status when it fails. */
export function sh(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: root, ...options });
  if (result.error) throw result.error;
  if (result.status !== 0 && !options.allowFailure) {
    log(`${command} ${args.join(' ')} failed with status ${result.status}`);
    process.exit(result.status ?? 1);
  }
  return result.status ?? 1;
}

/** Installs npm dependencies when node_modules is missing or older than the lockfile. */
export function ensureDependencies() {
  const marker = join(root, 'node_modules/.package-lock.json');
  const lock = join(root, 'package-lock.json');
  if (existsSync(marker) && (!existsSync(lock) || statSync(marker).mtimeMs >= statSync(lock).mtimeMs)) return;
  log('installing npm dependencies');
  // ONNX Runtime's postinstall only fetches CUDA files from a host this network cannot reach.
  const env = { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' };
  // `npm install` rather than `npm ci`: it installs the locked versions all the same, and npm ci rejects lockfiles
  // that leave out optional dependencies for other platforms (vite's Windows-only helper), which npm itself writes.
  sh('npm', ['install', '--no-audit', '--no-fund'], { env });
}

/**
 * Makes sure the system packages the tests need are present: installs them as root, otherwise prints the command
 * and returns false so the caller can fail the suites that need them with that message.
 */
export function ensureSystemPackages() {
  const script = join(root, 'scripts/setup-system.sh');
  const check = spawnSync('bash', [script, '--check'], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (check.status === 0) return true;
  if (typeof process.getuid === 'function' && process.getuid() === 0) {
    sh('bash', [script]);
    return true;
  }
  process.stderr.write(check.stderr);
  log(`system packages are missing; run: sudo ${script}`);
  return false;
}

/** The workspace packages (packages/*), each with its folder and its package.json. */
export function workspacePackages() {
  const dir = join(root, 'packages');
  return readdirSync(dir)
    .filter((name) => existsSync(join(dir, name, 'package.json')))
    .map((name) => ({
      name,
      dir: join(dir, name),
      json: JSON.parse(readFileSync(join(dir, name, 'package.json'), 'utf8')),
    }));
}

/** Packages ordered so that each comes after the @patronus packages it depends on. */
export function buildOrder(packages = workspacePackages()) {
  const byName = new Map(packages.map((p) => [p.json.name, p]));
  const ordered = [];
  const state = new Map();
  const visit = (pkg, trail) => {
    if (state.get(pkg.json.name) === 'done') return;
    if (state.get(pkg.json.name) === 'visiting')
      throw new Error(`dependency cycle: ${[...trail, pkg.json.name].join(' -> ')}`);
    state.set(pkg.json.name, 'visiting');
    const deps = { ...pkg.json.dependencies, ...pkg.json.peerDependencies, ...pkg.json.optionalDependencies };
    for (const dep of Object.keys(deps)) {
      const target = byName.get(dep);
      if (target) visit(target, [...trail, pkg.json.name]);
    }
    state.set(pkg.json.name, 'done');
    ordered.push(pkg);
  };
  for (const pkg of packages) visit(pkg, []);
  return ordered;
}

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** npm's own node-gyp (npm builds native dependencies with it, so it is there wherever npm is). */
function nodeGyp() {
  const candidates = [process.env.npm_config_node_gyp];
  if (process.env.npm_execpath)
    candidates.push(join(dirname(process.env.npm_execpath), '../node_modules/node-gyp/bin/node-gyp.js'));
  const npm = spawnSync('bash', ['-c', 'readlink -f "$(command -v npm)"'], { encoding: 'utf8' }).stdout.trim();
  if (npm) candidates.push(join(dirname(npm), '../node_modules/node-gyp/bin/node-gyp.js'));
  const found = candidates.find((candidate) => candidate && existsSync(candidate));
  if (!found) log(`node-gyp not found (looked at ${candidates.filter(Boolean).join(', ')})`);
  return found;
}

/**
 * Builds a package's Node-API addon (`native/binding.gyp`) and copies each `.node` file into
 * `dist/native/<platform>-<arch>/`, where the package looks for it at run time and from where it is published.
 */
function buildNativeAddon(pkg) {
  const native = join(pkg.dir, 'native');
  if (!existsSync(join(native, 'binding.gyp'))) return;
  log(`building ${pkg.json.name} native addon`);
  // Node's own headers when it was installed with them (as Debian and the official tarballs do): no download needed
  const prefix = resolve(dirname(process.execPath), '..');
  const nodedir = existsSync(join(prefix, 'include/node/node_api.h')) ? [`--nodedir=${prefix}`] : [];
  const gyp = nodeGyp();
  const status = gyp ? sh('node', [gyp, 'rebuild', '--silent', ...nodedir], { cwd: native, allowFailure: true }) : 1;
  if (status !== 0) {
    // The package works without its addon (only slower); CI must build it.
    if (process.env.CI === 'true') process.exit(status || 1);
    log(
      `${pkg.json.name}: the native addon did not build (it needs python3, make and a C compiler); continuing without it`,
    );
    return;
  }
  const release = join(native, 'build/Release');
  const target = join(pkg.dir, 'dist/native', `${process.platform}-${process.arch}`);
  mkdirSync(target, { recursive: true });
  for (const file of readdirSync(release).filter((name) => name.endsWith('.node'))) {
    copyFileSync(join(release, file), join(target, file));
  }
}

/** Builds every package whose sources are newer than its last build (or all with `force`), in dependency order. */
export function buildPackages({ force = false, only } = {}) {
  const shared = Math.max(
    newestMtime(join(root, 'tsup.base.ts')),
    newestMtime(join(root, 'tsconfig.build.json')),
    newestMtime(join(root, 'tsconfig.base.json')),
  );
  const rebuilt = new Set();
  for (const pkg of buildOrder()) {
    if (only && !only.includes(pkg.name)) continue;
    if (!existsSync(join(pkg.dir, 'src/index.ts'))) continue;
    const inputs = Math.max(
      shared,
      newestMtime(join(pkg.dir, 'src')),
      newestMtime(join(pkg.dir, 'native')),
      newestMtime(join(pkg.dir, 'package.json')),
      newestMtime(join(pkg.dir, 'tsup.config.ts')),
    );
    // The stamp lives outside dist so it is never packed.
    const stamp = join(root, 'node_modules/.cache/patronus-build', `${pkg.name}.stamp`);
    const dependsOnRebuilt = Object.keys({ ...pkg.json.dependencies, ...pkg.json.peerDependencies }).some((dep) =>
      rebuilt.has(dep),
    );
    const isStale = force || dependsOnRebuilt || !existsSync(stamp) || statSync(stamp).mtimeMs < inputs;
    if (!isStale) continue;
    log(`building ${pkg.json.name}`);
    sh('npx', ['--no-install', 'tsup', '--silent'], { cwd: pkg.dir });
    buildNativeAddon(pkg);
    mkdirSync(dirname(stamp), { recursive: true });
    writeFileSync(stamp, `${new Date().toISOString()}\n`);
    rebuilt.add(pkg.json.name);
  }
}
