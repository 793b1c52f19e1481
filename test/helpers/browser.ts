/**
 * Browser-side state for the Segment tests (re-exported by segment.ts): the snippet stub, clearing
 * storage/cookies between tests, and reading analytics-next's persisted identity.
 *
 * Observed (analytics-next 1.84.3, happy-dom 21): localStorage values are JSON-encoded
 * (`ajs_user_id` = '"u1"'), cookies are raw (`ajs_user_id=u1`); happy-dom's page is
 * http://localhost:3000/, so cookies are host-only and `path=/` expiry removes them.
 * The npm build of analytics-next never reads window.analytics (only the standalone build does).
 * A live Analytics instance keeps user id/traits in memory too: after resetBrowserState(),
 * `instance.user().id()` still returns the old id. Clear between tests and create a new instance.
 */
/** What Segment's snippet (5.x) leaves at window.analytics before analytics.js loads. */
export type SnippetStub = unknown[][] & Record<string, any> & { invoked: true; methods: string[] }

export const SNIPPET_METHODS = [
  'trackSubmit',
  'trackClick',
  'trackLink',
  'trackForm',
  'pageview',
  'identify',
  'reset',
  'group',
  'track',
  'ready',
  'alias',
  'debug',
  'page',
  'screen',
  'once',
  'off',
  'on',
  'addSourceMiddleware',
  'addIntegrationMiddleware',
  'setAnonymousId',
  'addDestinationMiddleware',
  'register',
  'deregister',
]

/**
 * Each method pushes `[method, ...args]` and returns the stub. `pageContext: true` reproduces
 * snippet 5.x, which also appends a `{ __t: 'bpc', ... }` page-context object to the args of
 * track/screen/alias/group/page/identify. `install: true` also sets window.analytics.
 * No `load` that injects a script: nothing is fetched.
 */
export function createSnippetStub(
  opts: { pageContext?: boolean; install?: boolean; writeKey?: string } = {},
): SnippetStub {
  const stub = [] as unknown as SnippetStub
  stub.invoked = true
  stub.methods = [...SNIPPET_METHODS]
  stub.SNIPPET_VERSION = '5.2.0'
  stub._writeKey = opts.writeKey ?? 'YOUR_WRITE_KEY'
  stub.factory =
    (method: string) =>
    (...args: unknown[]) => {
      if (opts.pageContext && ['track', 'screen', 'alias', 'group', 'page', 'identify'].includes(method)) {
        args.push({
          __t: 'bpc',
          c: undefined,
          p: location.pathname,
          u: location.href,
          s: location.search,
          t: document.title,
          r: document.referrer,
        })
      }
      stub.push([method, ...args])
      return stub
    }
  for (const m of SNIPPET_METHODS) stub[m] = stub.factory(m)
  if (opts.install) (window as any).analytics = stub
  return stub
}

/** Clears localStorage, sessionStorage, every cookie and window.analytics. Call in beforeEach. */
export function resetBrowserState(): void {
  localStorage.clear()
  sessionStorage.clear()
  for (const part of document.cookie.split(';')) {
    const name = part.split('=')[0]?.trim()
    if (!name) continue
    for (const attrs of ['; path=/', '', `; path=/; domain=${location.hostname}`]) {
      document.cookie = `${name}=; expires=Thu, 01 Jan 1970 00:00:00 GMT${attrs}`
    }
  }
  delete (window as any).analytics
}

function parseStored(raw: string | null): unknown {
  if (raw === null) return null
  try {
    return JSON.parse(raw)
  } catch {
    return raw
  }
}

function cookie(name: string): string | null {
  const hit = document.cookie
    .split(';')
    .map((c) => c.trim())
    .find((c) => c.startsWith(`${name}=`))
  return hit ? decodeURIComponent(hit.slice(name.length + 1)) : null
}

/** analytics-next's persisted identity (localStorage; JSON-decoded), plus its cookies. */
export function readAjs(): {
  userId: string | null
  traits: Record<string, unknown> | null
  anonymousId: string | null
  cookies: { userId: string | null; anonymousId: string | null }
} {
  return {
    userId: parseStored(localStorage.getItem('ajs_user_id')) as string | null,
    traits: parseStored(localStorage.getItem('ajs_user_traits')) as Record<string, unknown> | null,
    anonymousId: parseStored(localStorage.getItem('ajs_anonymous_id')) as string | null,
    cookies: { userId: cookie('ajs_user_id'), anonymousId: cookie('ajs_anonymous_id') },
  }
}
