/** `rib.lookup` and `rib.lookupBatch` on random addresses, in a process of their own (see ./rib-lookup.ts). */
import { BenchRun } from '@patronus-internal/bench';
import { measureRibLookups } from './rib-lookup';

const run = new BenchRun('rib');
measureRibLookups(run, 'random');
run.finish();
