import { defineConfig } from 'vitest/config'

// Tests of the built package (dist/, the npm tarball, the README's sizes and SRI): run after
// `npm run build` by `npm run test:package`. No DOM.
export default defineConfig({
  test: {
    include: ['test/package/**/*.test.ts'],
    globalSetup: ['test/package/setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
})
