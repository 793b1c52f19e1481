// The recipes' settings when run as servers: from the environment (OKTA_HOOK_SECRET, SEGMENT_WRITE_KEY,
// SEGMENT_HOST for the EU region, PORT).
export const fromEnv = () => ({
  secret: process.env.OKTA_HOOK_SECRET,
  segment: { writeKey: process.env.SEGMENT_WRITE_KEY, host: process.env.SEGMENT_HOST },
})
export const port = () => Number(process.env.PORT ?? 8080)
/** True when the recipe is the script node runs, not a module a test imports. */
export const isMain = (url) => url === `file://${process.argv[1]}`
