// `npm run bench [package] [file-filter]`: runs every package's bench/*.bench.ts (or one package's, or the files whose
// name contains the filter), each in its own Node process with --expose-gc, then prints the package's results table
// from bench-results/<package>.json. Set BENCH_SHORT=1 (CI does) for a short run.
//
// Each file is first bundled by esbuild (as tsup builds the packages) into bench/.out/ and run by plain `node`, not
// through tsx: loading ip-address through tsx's module hooks invalidates V8's array-buffer-detaching protector, and
// optimized code then checks for detachment on every typed-array access. Users' processes keep the protector; so do
// the benchmarks (docs/toolchain.md).
import { build } from 'esbuild';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { buildPackages, ensureDependencies, log, root, sh, workspacePackages } from './lib.mjs';

const [packageFilter, fileFilter] = process.argv.slice(2);
ensureDependencies();
buildPackages();

function formatFigure(value) {
  const abs = Math.abs(value);
  if (abs >= 1e9) return `${(value / 1e9).toPrecision(3)}G`;
  if (abs >= 1e6) return `${(value / 1e6).toPrecision(3)}M`;
  if (abs >= 1e4) return `${(value / 1e3).toPrecision(3)}k`;
  return value.toPrecision(3);
}

let failures = 0;
for (const pkg of workspacePackages()) {
  if (packageFilter && packageFilter !== 'all' && pkg.name !== packageFilter) continue;
  const benchDir = join(pkg.dir, 'bench');
  const files = existsSync(benchDir)
    ? readdirSync(benchDir).filter((f) => f.endsWith('.bench.ts') && (!fileFilter || f.includes(fileFilter)))
    : [];
  if (files.length === 0) continue;
  const resultFile = join(root, 'bench-results', `${pkg.name}.json`);
  if (!fileFilter) rmSync(resultFile, { force: true });
  for (const file of files.sort()) {
    log(`bench ${pkg.name}/${file}${process.env.BENCH_SHORT === '1' || process.env.CI === 'true' ? ' (short)' : ''}`);
    const bundle = join(benchDir, '.out', `${basename(file, '.ts')}.mjs`);
    await build({
      entryPoints: [join(benchDir, file)],
      outfile: bundle,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      sourcemap: 'inline',
      logLevel: 'warning',
    });
    const status = sh('node', ['--expose-gc', '--max-old-space-size=8192', '--enable-source-maps', bundle], {
      cwd: pkg.dir,
      allowFailure: true,
      env: { ...process.env, PATRONUS_REPOSITORY_ROOT: root },
    });
    if (status !== 0) failures++;
  }
  if (!existsSync(resultFile)) continue;
  const { results } = JSON.parse(readFileSync(resultFile, 'utf8'));
  console.log(`\n@patronus/${pkg.name}`);
  console.log('| benchmark | Patronus | competitor | ratio |');
  console.log('|---|---|---|---|');
  for (const r of results) {
    const ours = `${formatFigure(r.ours.median)} ${r.unit}`;
    const theirs = r.competitor ? `${r.competitor.name}: ${formatFigure(r.competitor.median)} ${r.unit}` : '';
    const ratio = r.ratio === undefined || r.ratio === null ? '' : `${r.ratio.toFixed(2)}x`;
    console.log(`| ${r.name} | ${ours} | ${theirs} | ${ratio} |`);
  }
}
if (failures > 0) {
  log(`${failures} benchmark file(s) failed`);
  process.exit(1);
}
