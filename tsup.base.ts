import { defineConfig, type Options } from 'tsup';

/**
 * The one build recipe every package uses: ESM + CJS with matching `.d.ts` / `.d.cts`, one output file per entry
 * so subpath exports (`@patronus/bgp/mrt`) load only what they need.
 *
 * `tsconfig.build.json` has no `paths`, so sibling packages resolve through node_modules to their built `dist`
 * (which is why `npm run build` goes in dependency order) and stay external.
 */
export function definePackageBuild(
  entries: readonly string[],
  overrides: Options = {},
): ReturnType<typeof defineConfig> {
  return defineConfig({
    entry: Object.fromEntries(entries.map((name) => [name, `src/${name}.ts`])),
    format: ['esm', 'cjs'],
    target: 'node20',
    platform: 'node',
    dts: true,
    sourcemap: true,
    clean: true,
    splitting: false,
    treeshake: true,
    tsconfig: '../../tsconfig.build.json',
    outExtension: ({ format }) => ({ js: format === 'cjs' ? '.cjs' : '.js' }),
    ...overrides,
  });
}
