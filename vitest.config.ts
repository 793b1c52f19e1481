import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// Under vitest the okta-auth-js `node` export would be chosen; tests run the real browser build.
const oktaBrowser = fileURLToPath(
  new URL('./node_modules/@okta/okta-auth-js/esm/browser/exports/exports/default.js', import.meta.url),
)
// The examples import the server entry by name; under vitest that is the source (no build needed).
const eventHooks = fileURLToPath(new URL('./src/event-hooks/index.ts', import.meta.url))

export default defineConfig({
  define: { __DEV__: 'true' }, // the development build's behaviour; test/package checks the production build
  resolve: {
    alias: [
      { find: /^@okta\/okta-auth-js$/, replacement: oktaBrowser },
      { find: /^okta-segment\/event-hooks$/, replacement: eventHooks },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/package/**'],
    restoreMocks: true,
    unstubGlobals: true, // vi.stubGlobal()s end with their test, whatever its outcome
  },
})
