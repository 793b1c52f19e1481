// The schema command's fixture run, shared by the in-process tests and the installed bin's test
// (which imports nothing from src/).
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

// (not `new URL(..., import.meta.url)`: under happy-dom, URL is the DOM's)
export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures')

/** `okta-segment schema` on the fixtures with the app schema: what fixtures/traits.ts was written from. */
export const FIXTURE_ARGS = [
  'schema',
  'user-schema.json',
  '--claims',
  'claims.json',
  '--app-schema',
  'app-schema.json',
] as const
