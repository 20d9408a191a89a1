// `npm run build`: builds every package in dependency order. `--force` rebuilds all; names limit it to those packages.
import { buildPackages, ensureDependencies } from './lib.mjs';

const args = process.argv.slice(2);
const only = args.filter((arg) => !arg.startsWith('--'));
ensureDependencies();
buildPackages({ force: !args.includes('--stale'), only: only.length ? only : undefined });
