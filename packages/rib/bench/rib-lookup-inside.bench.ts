/** `rib.lookup` and `rib.lookupBatch` on addresses inside the table, in a process of their own (see ./rib-lookup.ts). */
import { BenchRun } from '@patronus-internal/bench';
import { measureRibLookups } from './rib-lookup';

const run = new BenchRun('rib');
measureRibLookups(run, 'inside');
run.finish();
