/**
 * The bad-input corpus, part 2: what JSON cannot hold (functions, cycles, getters, huge or deep
 * values) and the options of connect(). Part 1 is claims.json. Each case says its expected
 * outcome: `throws` (an OptionsError naming the option, at connect()), `skip` (nothing sent, one
 * report to onError with that code), or the traits sent (the bad part removed).
 */
import { filters as filtersOf, groups } from '../../src/index'
import type { AuthStateLike, Claims } from '../../src/index'

/** The filters plugin, fed anything (the corpus is bad input). */
const filters = (x: unknown) => filtersOf(x as never)

export type Expect = 'skip' | 'nothing' | { traits: Record<string, unknown>; userId?: string }

/** Claims that go through the real okta-auth-js (stored as JSON, as Okta does). */
export interface ClaimsCase { name: string; claims: Record<string, unknown>; options?: Record<string, unknown>; expect: Expect }

const SUB = '00uCorpusGenerated01'
const deep = (levels: number): Record<string, unknown> => {
  let v: Record<string, unknown> = { locality: 'bottom' }
  for (let i = 0; i < levels; i++) v = { locality: v }
  return v
}

export const generatedClaims: ClaimsCase[] = [
  {
    name: '100 kB of claims: 1,000 custom claims of 100 characters',
    claims: { sub: SUB, email: 'big@example.com', ...Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`custom_${i}`, 'x'.repeat(100)])) },
    expect: { traits: { email: 'big@example.com' } },
  },
  { name: 'a 100 kB name claim', claims: { sub: SUB, name: 'n'.repeat(100_000), email: 'ok@example.com' }, expect: { traits: { email: 'ok@example.com' } } },
  { name: 'an address nested 1,000 levels deep', claims: { sub: SUB, address: deep(1000), email: 'deep@example.com' }, expect: { traits: { email: 'deep@example.com' } } },
  {
    name: 'a picture claim that is an array of 10,000 strings',
    claims: { sub: SUB, picture: Array.from({ length: 10_000 }, (_, i) => `p${i}`) },
    expect: { traits: { avatar: Array.from({ length: 100 }, (_, i) => `p${i}`) } },
  },
  {
    name: '10,000 groups, 3 of them allowed',
    claims: { sub: SUB, groups: [...Array.from({ length: 9_997 }, (_, i) => `other-${i}`), 'app-a', 'app-b', 'app-c'] },
    options: { groups: { allow: /^app-/ } },
    expect: { traits: { groups: ['app-a', 'app-b', 'app-c'] } },
  },
]

/** Auth states only a hand-made AuthLike can emit (Okta stores claims as JSON), to harden the shell. */
export interface StateCase { name: string; state: () => unknown; options?: Record<string, unknown>; expect: Expect }

const cyclic = (): Claims => {
  const claims: Claims = { sub: SUB, email: 'cycle@example.com' }
  const address: Claims = { locality: 'Loop' }
  claims.self = claims
  address.parent = claims
  address.self = address
  claims.address = address
  return claims
}
const authed = (claims: unknown): AuthStateLike => ({ isAuthenticated: true, idToken: { claims: claims as Claims }, accessToken: {} })

export const states: StateCase[] = [
  { name: 'truly cyclic claims (self, parent references)', state: () => authed(cyclic()), expect: { traits: { email: 'cycle@example.com', address: { city: 'Loop' } } } },
  {
    name: 'a claim getter that throws',
    state: () => authed(Object.defineProperty({ sub: SUB }, 'email', { enumerable: true, get: () => { throw new Error('getter') } })),
    expect: 'skip',
  },
  {
    name: 'claims that are a Proxy throwing on every access',
    state: () => authed(new Proxy({}, { get: () => { throw new Error('proxy') }, has: () => { throw new Error('proxy') }, ownKeys: () => { throw new Error('proxy') }, getOwnPropertyDescriptor: () => { throw new Error('proxy') } })),
    expect: 'skip',
  },
  { name: 'claims with a null prototype', state: () => authed(Object.assign(Object.create(null) as Claims, { sub: SUB, email: 'np@example.com' })), expect: { traits: { email: 'np@example.com' } } },
  { name: 'claims with symbol keys and a toJSON trap', state: () => authed({ sub: SUB, [Symbol('email')]: 'sym', email: { toJSON: () => { throw new Error('toJSON') } } }), expect: { traits: {} } },
  { name: 'malformed JWT: claims left as the undecoded string', state: () => authed('eyJhbGciOiJub25lIn0.bm90LWpzb24.'), expect: 'skip' },
  { name: 'authenticated without an ID token', state: () => ({ isAuthenticated: true, accessToken: {} }), expect: 'skip' },
  { name: 'authenticated with an ID token of null claims', state: () => authed(null), expect: 'skip' },
  { name: 'an auth state with error (and isAuthenticated false)', state: () => ({ isAuthenticated: false, error: new Error('transformAuthState failed') }), expect: 'skip' },
  { name: 'an auth state that is a string', state: () => 'authenticated', expect: 'nothing' },
  { name: 'an auth state that is an array', state: () => [{ isAuthenticated: true }], expect: 'nothing' },
  { name: 'userId() that throws', state: () => authed({ sub: SUB }), options: { userId: () => { throw new Error('userId') } }, expect: 'skip' },
  { name: 'userId() that returns a number', state: () => authed({ sub: SUB }), options: { userId: () => 42 }, expect: 'skip' },
  { name: 'traits() that returns a string', state: () => authed({ sub: SUB }), options: { traits: () => 'email' }, expect: 'skip' },
  {
    name: 'traits() that returns __proto__ and a token',
    state: () => authed({ sub: SUB }),
    options: { traits: () => JSON.parse('{"__proto__": {"polluted": "yes"}, "plan": "pro", "key": "eyJhbGciOiJIUzI1NiJ9.eyJ4IjoxfQ.c2ln"}') },
    expect: { traits: { plan: 'pro' } },
  },
  { name: 'groups.from() that throws', state: () => authed({ sub: SUB }), options: { plugins: [groups({ allow: ['A'], from: () => { throw new Error('from') } })] }, expect: 'skip' },
]

/** connect() options that must fail at once with an OptionsError naming `option`. */
export interface OptionsCase {
  name: string
  options: (valid: { auth: unknown; analytics: unknown }) => unknown
  option: string
}

const noop = () => undefined
const filter = { name: 'f', apply: (e: unknown) => e }

export const options: OptionsCase[] = [
  { name: 'no options at all', options: () => undefined, option: 'options' },
  { name: 'options is a string', options: () => 'oktaAuth', option: 'options' },
  { name: 'analytics is null', options: (v) => ({ ...v, analytics: null }), option: 'analytics' },
  { name: 'analytics is missing', options: (v) => ({ auth: v.auth }), option: 'analytics' },
  { name: 'analytics is a string (a write key)', options: (v) => ({ ...v, analytics: 'WRITE_KEY' }), option: 'analytics' },
  { name: 'analytics is an object without identify', options: (v) => ({ ...v, analytics: { track: noop, reset: noop } }), option: 'analytics' },
  { name: 'analytics.identify is not a function', options: (v) => ({ ...v, analytics: { identify: 'yes', track: noop, reset: noop } }), option: 'analytics' },
  { name: 'analytics is a number', options: (v) => ({ ...v, analytics: 1 }), option: 'analytics' },
  { name: 'auth is missing', options: (v) => ({ analytics: v.analytics }), option: 'auth' },
  { name: 'an OktaAuth without authStateManager', options: (v) => ({ ...v, auth: { tokenManager: {}, isAuthenticated: noop } }), option: 'auth' },
  { name: 'authStateManager without subscribe', options: (v) => ({ ...v, auth: { authStateManager: { getAuthState: noop, unsubscribe: noop } } }), option: 'auth' },
  { name: 'auth is the OktaAuth class, not an instance', options: (v) => ({ ...v, auth: class OktaAuth {} }), option: 'auth' },
  { name: 'filters is a single filter, not an array', options: (v) => ({ ...v, plugins: [filters(filter)] }), option: 'filters' },
  { name: 'filters is a string', options: (v) => ({ ...v, plugins: [filters('dropTraits')] }), option: 'filters' },
  { name: 'filters holds null', options: (v) => ({ ...v, plugins: [filters([null])] }), option: 'filters' },
  // Functions have a string `name` and an `apply` (Function.prototype.apply): they pass for filters.
  { name: 'filters holds a bare function', options: (v) => ({ ...v, plugins: [filters([(e: unknown) => e])] }), option: 'filters' },
  { name: 'filters holds a filter factory, not called', options: (v) => ({ ...v, plugins: [filters([() => filter])] }), option: 'filters' },
  { name: 'a filter without apply', options: (v) => ({ ...v, plugins: [filters([{ name: 'x' }])] }), option: 'filters' },
  { name: 'a filter without a name', options: (v) => ({ ...v, plugins: [filters([{ apply: filter.apply }])] }), option: 'filters' },
  { name: 'a filter whose destinations is a string', options: (v) => ({ ...v, plugins: [filters([{ ...filter, destinations: 'Facebook Pixel' }])] }), option: 'filters' },
  { name: 'a filter whose destinations hold a number', options: (v) => ({ ...v, plugins: [filters([{ ...filter, destinations: [1] }])] }), option: 'filters' },
  { name: 'traits maps a claim to a number', options: (v) => ({ ...v, traits: { email: 1 } }), option: 'traits' },
  { name: 'traits is a string', options: (v) => ({ ...v, traits: 'email' }), option: 'traits' },
  { name: 'userId is a claim name, not a function', options: (v) => ({ ...v, userId: 'sub' }), option: 'userId' },
  { name: 'groups.allow is a string', options: (v) => ({ ...v, plugins: [groups({ allow: 'Admins' } as never)] }), option: 'groups' },
  { name: 'groups.send is unknown', options: (v) => ({ ...v, plugins: [groups({ allow: ['A'], send: 'identify' } as never)] }), option: 'groups' },
  { name: 'events.signedIn is a number', options: (v) => ({ ...v, events: { signedIn: 1 } }), option: 'events' },
  { name: 'events names an unknown event', options: (v) => ({ ...v, events: { loggedIn: 'Logged In' } }), option: 'events' },
  { name: 'onError is not a function', options: (v) => ({ ...v, onError: 'console' }), option: 'onError' },
  { name: 'idleTimeout is NaN', options: (v) => ({ ...v, idleTimeout: Number.NaN }), option: 'idleTimeout' },
  { name: 'idleTimeout is negative', options: (v) => ({ ...v, idleTimeout: -1 }), option: 'idleTimeout' },
  { name: 'storage is an empty object', options: (v) => ({ ...v, storage: {} }), option: 'storage' },
  { name: 'a misspelled option (analytic)', options: (v) => ({ auth: v.auth, analytic: v.analytics }), option: 'analytic' },
  { name: '0.1\'s filters option (a plugin since 0.2)', options: (v) => ({ ...v, filters: [filter] }), option: 'filters' },
  { name: '0.1\'s groups option (a plugin since 0.2)', options: (v) => ({ ...v, groups: { allow: ['A'] } }), option: 'groups' },
  { name: 'plugins holds a filter, not filters([...])', options: (v) => ({ ...v, plugins: [filter] }), option: 'plugins' },
  { name: 'a __proto__ option', options: (v) => ({ ...v, ...JSON.parse('{"__proto__": {"polluted": "yes"}}') }), option: '__proto__' },
]
