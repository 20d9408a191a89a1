import { definePackageBuild } from '../../tsup.base';

// `testing/index` imports the package by its own name, kept external so the arbitraries build the same classes the
// main entry exports (`instanceof` must hold across the two entries). Its declarations resolve that name to source,
// since `dist` is being rebuilt at the same time.
export default definePackageBuild(['index', 'testing/index'], {
  external: ['@patronus/rib'],
  dts: { compilerOptions: { baseUrl: '.', paths: { '@patronus/rib': ['./src/index.ts'] } } },
});
