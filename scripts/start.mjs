// `npm start`: the main job. It runs the reference router demo once it exists; until then, the most complete example
// there is. Like `npm test`, it does its own set-up: npm dependencies, stale builds.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildPackages, ensureDependencies, log, root, sh } from './lib.mjs';

// The most complete example, in order of preference.
const CANDIDATES = ['examples/reference-router', 'examples/route-explorer'];

ensureDependencies();
buildPackages();
const example = CANDIDATES.find((dir) => existsSync(join(root, dir, 'package.json')));
if (example === undefined) {
  log(`no example yet (looked for ${CANDIDATES.join(', ')})`);
  process.exit(1);
}
log(`running ${example}`);
sh('npm', ['start', '--silent', '--workspace', example, '--', ...process.argv.slice(2)]);
