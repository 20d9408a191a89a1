import { definePackageBuild } from '../../tsup.base';

// `testing/index` imports the package by its own name, kept external so the arbitraries build the same classes the
// main entry exports (`instanceof` must hold across the two entries).
export default definePackageBuild(['index', 'testing/index'], { external: ['@patronus/rib'] });
