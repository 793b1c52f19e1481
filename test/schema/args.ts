/** `okta-segment schema` on the fixtures with the app schema: what fixtures/traits.ts was written from. */
export const FIXTURE_ARGS = [
  'schema',
  'user-schema.json',
  '--claims',
  'claims.json',
  '--app-schema',
  'app-schema.json',
] as const
