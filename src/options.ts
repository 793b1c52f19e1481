import { OptionsError } from './errors'
import type { IdentityConfig } from './identity'
import type { EventNames } from './lifecycle'
import { DEFAULT_TRAITS } from './traits'
import type { Filter } from './types'
import { nearest } from './nearest'
import type { AnalyticsLike, AuthLike, Options, StorageLike } from './types'

const KNOWN = [
  'auth',
  'analytics',
  'traits',
  'userId',
  'groups',
  'events',
  'onError',
  'debug',
  'idleTimeout',
  'storage',
  'filters',
  'cleanPage',
]

// A trait name, or one nested trait as `object.key`; no segment may be a prototype key.
const TRAIT = /^(?!(.*\.)?(__proto__|constructor|prototype)(\.|$))[^.]+(\.[^.]+)?$/
const describe = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v)
const isFn = (v: unknown): v is (...a: never[]) => unknown => typeof v === 'function'
const has = (o: unknown, ...names: string[]) => !!o && names.every((n) => isFn((o as Record<string, unknown>)[n]))
const check = (ok: unknown, option: string, message: string | false) => {
  if (!ok) throw new OptionsError(option, message)
}

const defaultStorage = (): StorageLike | null => {
  try {
    return globalThis.localStorage ?? null
  } catch {
    return null // blocked storage throws on access
  }
}

/** Validates `connect()`'s options (throwing `OptionsError`) and compiles them. */
export const compile = (o: Options) => {
  check(
    o && typeof o === 'object',
    'options',
    __DEV__ && `must be an object: connect({ auth: oktaAuth, analytics }), got ${describe(o)}`,
  )
  for (const key of Object.keys(o)) {
    const near = __DEV__ && nearest(key, KNOWN)
    check(
      KNOWN.includes(key),
      key,
      __DEV__ && `is not an option${near ? `: did you mean \`${near}\`?` : '.'} The options are ${KNOWN.join(', ')}`,
    )
  }
  const {
    auth,
    traits,
    userId,
    groups,
    events = {},
    onError,
    debug,
    idleTimeout = 1000,
    storage,
    filters = [],
    cleanPage = true,
  } = o
  const okta = (auth as { oktaAuth?: AuthLike } | undefined)?.oktaAuth
  const oktaLike = (a: unknown) =>
    has((a as AuthLike | undefined)?.authStateManager, 'getAuthState', 'subscribe', 'unsubscribe')
  check(
    !oktaLike(okta),
    'auth',
    __DEV__ &&
      `is okta-react's useOktaAuth() result: write auth: useOktaAuth().oktaAuth (or the OktaAuth you give <Security>)`,
  )
  check(
    oktaLike(auth),
    'auth',
    __DEV__ &&
      `must be an OktaAuth (an object with authStateManager.getAuthState/subscribe/unsubscribe), got ${describe(auth)}: write connect({ auth: new OktaAuth(config), ... })`,
  )
  // `await AnalyticsBrowser.load(...)` gives [Analytics, Context]: take the instance
  const loaded =
    Array.isArray(o.analytics) && !has(o.analytics, 'identify') && has(o.analytics[0], 'identify', 'track', 'reset')
  const analytics = loaded ? ((o.analytics as unknown[])[0] as AnalyticsLike) : o.analytics
  check(
    !isFn(analytics),
    'analytics',
    __DEV__ &&
      `is ${has(analytics, 'load') ? 'the AnalyticsBrowser class' : 'a function (AnalyticsBrowser.load itself?)'}: write analytics: AnalyticsBrowser.load({ writeKey })`,
  )
  check(
    Array.isArray(analytics) || has(analytics, 'identify', 'track', 'reset'),
    'analytics',
    __DEV__ &&
      `must be an AnalyticsBrowser, an Analytics or the snippet's window.analytics (with identify, track and reset), got ${describe(analytics)}: write analytics: AnalyticsBrowser.load({ writeKey })`,
  )
  const map: Record<string, string | false> = { ...DEFAULT_TRAITS }
  check(
    !Array.isArray(traits),
    'traits',
    __DEV__ &&
      `is an array; write an object of claim name -> trait name, e.g. { email: 'email', department: 'department' }, or a function (claims, traits) => traits`,
  )
  if (traits !== undefined && !isFn(traits)) {
    check(
      traits && typeof traits === 'object',
      'traits',
      __DEV__ &&
        `must map claim names to trait names, e.g. { given_name: 'first_name', phone_number: false }, or be (claims, traits) => traits`,
    )
    for (const [claim, trait] of Object.entries(traits)) {
      check(
        trait === false || (typeof trait === 'string' && TRAIT.test(trait)),
        'traits',
        __DEV__ &&
          `.${claim} must be a trait name or false to drop it (nested: 'address.postalCode'), got ${describe(trait)}`,
      )
      map[claim] = trait
    }
  }
  check(
    userId === undefined || isFn(userId),
    'userId',
    __DEV__ && `must be a function of the claims, e.g. (claims) => claims.sub, got ${describe(userId)}`,
  )
  if (groups !== undefined) {
    const { allow, from, send } = (groups ?? {}) as Partial<NonNullable<Options['groups']>>
    check(
      Array.isArray(allow) ? allow.every((g) => typeof g === 'string') : allow instanceof RegExp,
      'groups',
      __DEV__ &&
        `.allow must list the group names that may leave, or match them: { allow: ['Admins'] } or { allow: /^app-/ }`,
    )
    check(
      from === undefined || isFn(from) || (typeof from === 'string' && from),
      'groups',
      __DEV__ && `.from must be a claim name or a function of the claims`,
    )
    check(
      send === undefined || send === 'trait' || send === 'group',
      'groups',
      __DEV__ && `.send must be 'trait' or 'group'`,
    )
  }
  check(
    events && typeof events === 'object',
    'events',
    __DEV__ && `must be an object such as { signedIn: 'Signed In', signedOut: false }`,
  )
  const names: EventNames = { signedIn: 'Signed In', signedOut: 'Signed Out' }
  for (const key of Object.keys(events) as (keyof EventNames)[]) {
    const name = events[key]
    check(key in names, 'events', __DEV__ && `.${key} is not an event; write signedIn or signedOut`)
    check(
      name === false || (typeof name === 'string' && name),
      'events',
      __DEV__ && `.${key} must be an event name, or false to send none`,
    )
    names[key] = name as string | false
  }
  check(
    Array.isArray(filters),
    'filters',
    __DEV__ && `must be an array of filters, e.g. [dropTraits(['phone'])], got ${describe(filters)}`,
  )
  filters.forEach((f: unknown, i) => {
    const { name, apply, destinations: d } = (f ?? {}) as Partial<Filter>
    const fn = isFn(f) && (f.name || 'a filter factory')
    if (fn)
      check(
        false,
        'filters',
        __DEV__ &&
          `[${i}] is ${fn} itself, not a filter: call it, e.g. ${fn === 'a filter factory' ? `dropTraits` : fn}(['phone'])`,
      )
    const shape = `a filter { name, destinations?: string[], apply(event, ctx) }, such as dropTraits(['phone'])`
    check(f && typeof f === 'object', 'filters', __DEV__ && `[${i}] must be ${shape}; got ${describe(f)}`)
    check(
      typeof name === 'string' && name,
      'filters',
      __DEV__ && `[${i}] has no name: give it one, e.g. { name: 'noStaff', apply(event) { … } }`,
    )
    check(isFn(apply), 'filters', __DEV__ && `[${i}] ("${name}") must be ${shape}: it has no apply(event, ctx)`)
    check(
      d === undefined || (Array.isArray(d) && d.every((x) => typeof x === 'string' && x)),
      'filters',
      __DEV__ && `[${i}] ("${name}") .destinations must list destination names, e.g. ['Facebook Pixel']`,
    )
  })
  check(typeof cleanPage === 'boolean', 'cleanPage', __DEV__ && `must be true or false`)
  check(onError === undefined || isFn(onError), 'onError', __DEV__ && `must be a function (error) => void`)
  check(debug === undefined || typeof debug === 'boolean', 'debug', __DEV__ && `must be true or false`)
  check(
    typeof idleTimeout === 'number' && idleTimeout >= 0,
    'idleTimeout',
    __DEV__ && `must be a number of milliseconds, e.g. 1000`,
  )
  check(
    storage == null || has(storage, 'getItem', 'setItem', 'removeItem'),
    'storage',
    __DEV__ && `must be a Storage (getItem, setItem, removeItem) or null for memory`,
  )
  const identity: IdentityConfig = { map, traits: isFn(traits) ? traits : undefined, userId, groups }
  return {
    auth,
    analytics,
    identity,
    events: names,
    onError: onError ?? (debug ? (e: Error) => console.warn(e) : () => {}),
    debug: !!debug,
    filters,
    cleanPage,
    idleTimeout,
    storage: storage === undefined ? defaultStorage() : storage,
  }
}
