// Development build only (`if (__DEV__)`): every option checked, with a message that says what to
// write instead. The production build keeps a short check of `auth` and `analytics` (options.ts).
import { OptionsError } from '../errors'
import { nearest } from './nearest'
import type { AuthLike, Options } from '../types'

const KNOWN = [
  'auth',
  'analytics',
  'traits',
  'userId',
  'events',
  'onError',
  'debug',
  'idleTimeout',
  'storage',
  'cleanPage',
  'plugins',
]
/** Options of 0.1 that are plugins since 0.2: what to write instead (README: Migrating). */
const MOVED: Record<string, string> = {
  filters: `plugins: [filters([dropTraits(['phone'])])], with import { filters } from 'okta-segment'`,
  groups: `plugins: [groups({ allow: ['Admins'] })], with import { groups } from 'okta-segment'`,
}

// A trait name, or one nested trait as `object.key`; no segment may be a prototype key.
const TRAIT = /^(?!(.*\.)?(__proto__|constructor|prototype)(\.|$))[^.]+(\.[^.]+)?$/
export const describe = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v)
export const isFn = (v: unknown): v is (...a: never[]) => unknown => typeof v === 'function'
export const has = (o: unknown, ...names: string[]) =>
  !!o && names.every((n) => isFn((o as Record<string, unknown>)[n]))
export const check = (ok: unknown, option: string, message: string) => {
  if (!ok) throw new OptionsError(option, message)
}

const checkAuth = (auth: unknown) => {
  const oktaLike = (a: unknown) =>
    has((a as AuthLike | undefined)?.authStateManager, 'getAuthState', 'subscribe', 'unsubscribe')
  check(
    !oktaLike((auth as { oktaAuth?: unknown } | undefined)?.oktaAuth),
    'auth',
    `is okta-react's useOktaAuth() result: write auth: useOktaAuth().oktaAuth (or the OktaAuth you give <Security>)`,
  )
  check(
    oktaLike(auth),
    'auth',
    `must be an OktaAuth (an object with authStateManager.getAuthState/subscribe/unsubscribe), got ${describe(auth)}: write connect({ auth: new OktaAuth(config), ... })`,
  )
}

const checkAnalytics = (given: unknown) => {
  // `await AnalyticsBrowser.load(...)` gives [Analytics, Context]: options.ts takes the instance
  const loaded = Array.isArray(given) && !has(given, 'identify') && has(given[0], 'identify', 'track', 'reset')
  const analytics = loaded ? given[0] : given
  const what = has(analytics, 'load') ? 'the AnalyticsBrowser class' : 'a function (AnalyticsBrowser.load itself?)'
  check(!isFn(analytics), 'analytics', `is ${what}: write analytics: AnalyticsBrowser.load({ writeKey })`)
  check(
    Array.isArray(analytics) || has(analytics, 'identify', 'track', 'reset'),
    'analytics',
    `must be an AnalyticsBrowser, an Analytics or the snippet's window.analytics (with identify, track and reset), got ${describe(analytics)}: write analytics: AnalyticsBrowser.load({ writeKey })`,
  )
}

const checkTraits = (traits: unknown) => {
  check(
    !Array.isArray(traits),
    'traits',
    `is an array; write an object of claim name -> trait name, e.g. { email: 'email', department: 'department' }, or a function (claims, traits) => traits`,
  )
  if (traits === undefined || isFn(traits)) return
  check(
    traits && typeof traits === 'object',
    'traits',
    `must map claim names to trait names, e.g. { given_name: 'first_name', phone_number: false }, or be (claims, traits) => traits`,
  )
  for (const [claim, trait] of Object.entries(traits as object))
    check(
      trait === false || (typeof trait === 'string' && TRAIT.test(trait)),
      'traits',
      `.${claim} must be a trait name or false to drop it (nested: 'address.postalCode'), got ${describe(trait)}`,
    )
}

const checkEvents = (events: unknown) => {
  check(
    events && typeof events === 'object',
    'events',
    `must be an object such as { signedIn: 'Signed In', signedOut: false }`,
  )
  for (const [key, name] of Object.entries(events as object)) {
    check(key === 'signedIn' || key === 'signedOut', 'events', `.${key} is not an event; write signedIn or signedOut`)
    check(
      name === false || (typeof name === 'string' && name),
      'events',
      `.${key} must be an event name, or false to send none`,
    )
  }
}

const checkPlugins = (plugins: unknown) => {
  check(
    Array.isArray(plugins),
    'plugins',
    `must be an array, e.g. [filters([dropTraits(['phone'])])], got ${describe(plugins)}`,
  )
  const kinds = new Set<string>()
  ;(plugins as unknown[]).forEach((p, i) => {
    const kind = (p as { kind?: unknown } | null)?.kind
    const name = isFn(p) && !kind && p.name
    check(!name, 'plugins', `[${i}] is ${String(name)} itself, not a plugin: call it, e.g. ${String(name)}([...])`)
    check(
      isFn(p) && typeof kind === 'string',
      'plugins',
      `[${i}] is not a plugin (${describe(p)}): write filters([...]) or groups({ allow: [...] }); a filter goes inside filters([...])`,
    )
    check(!kinds.has(kind as string), 'plugins', `has two ${String(kind)}(): give one, with everything in it`)
    kinds.add(kind as string)
  })
}

/** Validates `connect()`'s options, throwing an `OptionsError` that says what to write instead. */
export const validate = (o: Options) => {
  check(
    o && typeof o === 'object',
    'options',
    `must be an object: connect({ auth: oktaAuth, analytics }), got ${describe(o)}`,
  )
  for (const key of Object.keys(o)) {
    check(!MOVED[key], key, `moved to a plugin in 0.2: write ${MOVED[key]} (README: Migrating)`)
    const near = nearest(key, KNOWN)
    check(
      KNOWN.includes(key),
      key,
      `is not an option${near ? `: did you mean \`${near}\`?` : '.'} The options are ${KNOWN.join(', ')}`,
    )
  }
  const {
    auth,
    analytics,
    traits,
    userId,
    events = {},
    onError,
    debug,
    idleTimeout,
    storage,
    cleanPage,
    plugins = [],
  } = o
  checkAuth(auth)
  checkAnalytics(analytics)
  checkTraits(traits)
  check(
    userId === undefined || isFn(userId),
    'userId',
    `must be a function of the claims, e.g. (claims) => claims.sub, got ${describe(userId)}`,
  )
  checkEvents(events)
  checkPlugins(plugins)
  check(cleanPage === undefined || typeof cleanPage === 'boolean', 'cleanPage', `must be true or false`)
  check(onError === undefined || isFn(onError), 'onError', `must be a function (error) => void`)
  check(debug === undefined || typeof debug === 'boolean', 'debug', `must be true or false`)
  check(
    idleTimeout === undefined || (typeof idleTimeout === 'number' && idleTimeout >= 0),
    'idleTimeout',
    `must be a number of milliseconds, e.g. 1000`,
  )
  check(
    storage == null || has(storage, 'getItem', 'setItem', 'removeItem'),
    'storage',
    `must be a Storage (getItem, setItem, removeItem) or null for memory`,
  )
}
