import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { definePackageBuild } from '../../tsup.base';

// `cli/mrt` is the `patronus-mrt` executable: after the build it gets its `#!/usr/bin/env node` line and the
// executable bit (a tsup banner would put the line on every entry).
const cliEntry = 'dist/cli/mrt.js';

export default definePackageBuild(['index', 'testing/index', 'mrt/index', 'cli/mrt'], {
  onSuccess: async () => {
    const code = readFileSync(cliEntry, 'utf8');
    if (!code.startsWith('#!')) writeFileSync(cliEntry, `#!/usr/bin/env node\n${code}`);
    chmodSync(cliEntry, 0o755);
    return Promise.resolve();
  },
});
