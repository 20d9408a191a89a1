import { readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));
const workspaces = ['packages', 'examples'].flatMap((folder) =>
  readdirSync(`${root}${folder}`)
    .filter((name) => existsSync(`${root}${folder}/${name}/package.json`))
    .map((name) => ({ name, dir: `${root}${folder}/${name}` })),
);

// During tests, packages import each other by name and resolve to source (the same mapping as `paths` in
// tsconfig.base.json); only the smoke tests load the built `dist` through the exports map, in a child process.
const alias = [
  { find: /^@patronus\/([a-z]+)$/, replacement: `${root}packages/$1/src/index.ts` },
  { find: /^@patronus\/([a-z]+)\/([a-z-]+)$/, replacement: `${root}packages/$1/src/$2/index.ts` },
  { find: /^@patronus-internal\/([a-z-]+)$/, replacement: `${root}tools/$1/src/index.ts` },
];

export default defineConfig({
  resolve: { alias },
  test: {
    projects: workspaces.map(({ name, dir }) => ({
      extends: true as const,
      test: {
        name,
        root: dir,
        include: ['test/**/*.test.ts'],
        testTimeout: 60_000,
        hookTimeout: 60_000,
      },
    })),
    coverage: {
      provider: 'v8',
      include: ['packages/*/src/**/*.ts'],
      reporter: ['text-summary', 'html', 'json-summary'],
      reportsDirectory: 'coverage',
    },
  },
});
