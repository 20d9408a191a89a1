// `npm run check:packages`: what a user gets from npm. For every public package: publint --strict and
// @arethetypeswrong/cli on the packed tarball, and a check that the tarball holds only what a user needs.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPackages, ensureDependencies, log, sh, workspacePackages } from './lib.mjs';

ensureDependencies();
buildPackages();

const ALLOWED = [
  /^package\.json$/,
  /^README\.md$/,
  /^LICENSE$/,
  /^dist\/.+\.(js|cjs|d\.ts|d\.cts|map|wasm|o|node|onnx)$/,
  /^bpf\/.+\.o$/,
];
let problems = 0;
const scratch = mkdtempSync(join(tmpdir(), 'patronus-pack-'));
try {
  for (const pkg of workspacePackages()) {
    if (pkg.json.private) continue;
    log(`checking ${pkg.json.name}`);
    const packed = spawnSync('npm', ['pack', '--json', '--pack-destination', scratch], {
      cwd: pkg.dir,
      encoding: 'utf8',
    });
    if (packed.status !== 0) {
      log(packed.stderr);
      problems++;
      continue;
    }
    const [info] = JSON.parse(packed.stdout);
    const tarball = join(scratch, info.filename);
    const unexpected = info.files.map((f) => f.path).filter((path) => !ALLOWED.some((re) => re.test(path)));
    if (unexpected.length > 0) {
      log(`${pkg.json.name} would publish files a user does not need: ${unexpected.join(', ')}`);
      problems++;
    }
    if (sh('npx', ['--no-install', 'publint', '--strict', tarball], { allowFailure: true }) !== 0) problems++;
    // node16 profile: Node's own resolution (ESM and CJS) and bundlers; node10 cannot see subpath exports at all.
    if (
      sh('npx', ['--no-install', 'attw', '--profile', 'node16', '--format', 'table-flipped', tarball], {
        allowFailure: true,
      }) !== 0
    )
      problems++;
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
if (problems > 0) {
  log(`${problems} packaging problem(s)`);
  process.exit(1);
}
log('all packages pass publint --strict and attw');
