// `npm test`: the whole suite on a fresh machine. Installs npm dependencies if missing, installs missing system
// packages when run as root (otherwise says which command to run, and the suites that need them fail with that
// message), builds stale packages (the smoke tests load the built output), then runs vitest and ends with a line
// `N passed, N failed, N skipped` for the whole suite. Extra arguments go to vitest.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildPackages, ensureDependencies, ensureSystemPackages, log, root, sh } from './lib.mjs';

ensureDependencies();
const hasSystemPackages = ensureSystemPackages();
buildPackages();

const resultsDir = join(root, 'test-results');
const resultsFile = join(resultsDir, 'vitest.json');
mkdirSync(resultsDir, { recursive: true });
rmSync(resultsFile, { force: true });

const env = {
  ...process.env,
  // Under `npm test` a missing component fails its suite rather than skipping it.
  PATRONUS_REQUIRE_COMPONENTS: '1',
  ...(hasSystemPackages ? {} : { PATRONUS_MISSING_SYSTEM_PACKAGES: '1' }),
};
const status = sh(
  'npx',
  [
    '--no-install',
    'vitest',
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${resultsFile}`,
    ...process.argv.slice(2),
  ],
  { env, allowFailure: true },
);

if (!existsSync(resultsFile)) {
  log('vitest wrote no results');
  process.stdout.write('0 passed, 1 failed\n');
  process.exit(status || 1);
}
const report = JSON.parse(readFileSync(resultsFile, 'utf8'));
const skipped = report.numPendingTests + report.numTodoTests;
// A test file that fails to load counts as a failure even though none of its tests ran.
const failedFiles = report.testResults.filter(
  (file) => file.status === 'failed' && file.assertionResults.length === 0,
).length;
const failed = report.numFailedTests + failedFiles;
process.stdout.write(`${report.numPassedTests} passed, ${failed} failed, ${skipped} skipped\n`);
process.exit(status !== 0 ? status : failed > 0 ? 1 : 0);
