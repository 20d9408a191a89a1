import { definePackageBuild } from '../../tsup.base';

export default definePackageBuild(['index', 'fec/index']);
