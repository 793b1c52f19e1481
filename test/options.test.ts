import { describe, expect, it } from 'vitest'
import {
  connect,
  filters,
  groups,
  hashTraits,
  isOktaSegmentError,
  isOptionsError,
  OktaSegmentError,
  type Options,
} from '../src/index'

const auth = { authStateManager: { getAuthState: () => null, subscribe() {}, unsubscribe() {} } }
const analytics = { identify() {}, track() {}, reset() {} }
const attempt = (o: unknown) => {
  try {
    connect(o as Options).disconnect()
  } catch (e) {
    return e
  }
  throw new Error('connect() accepted invalid options')
}

describe('connect() options', () => {
  it('accepts the minimal options', () => {
    expect(() => connect({ auth, analytics }).disconnect()).not.toThrow()
    expect(() => connect({ auth, analytics: [] }).disconnect()).not.toThrow()
  })

  it.each([
    ['options', undefined, /must be an object/],
    ['auth', { analytics }, /OktaAuth.*new OktaAuth\(config\)/],
    ['auth', { auth: {}, analytics }, /authStateManager/],
    ['analytics', { auth }, /AnalyticsBrowser.*got undefined/],
    ['analytics', { auth, analytics: 'analytics' }, /got string/],
    ['analytics', { auth, analytics: null }, /got null/],
    ['analytics', { auth, analytics: { track() {} } }, /identify, track and reset/],
    ['traits', { auth, analytics, traits: { email: 1 } }, /\.email must be a trait name or false/],
    [
      'traits',
      { auth, analytics, traits: 'email' },
      /must map claim names to trait names.*or be \(claims, traits\) => traits/,
    ],
    ['userId', { auth, analytics, userId: 'sub' }, /\(claims\) => claims\.sub/],
    [
      'groups',
      { auth, analytics, groups: { allow: ['Admins'] } },
      /moved to a plugin in 0\.2: write plugins: \[groups\(\{ allow: \['Admins'\] \}\)\]/,
    ],
    [
      'filters',
      { auth, analytics, filters: [] },
      /moved to a plugin in 0\.2: write plugins: \[filters\(\[dropTraits\(\['phone'\]\)\]\)\], with import \{ filters \}/,
    ],
    [
      'plugins',
      { auth, analytics, plugins: {} },
      /must be an array, e\.g\. \[filters\(\[dropTraits\(\['phone'\]\)\]\)\]/,
    ],
    ['plugins', { auth, analytics, plugins: [filters] }, /\[0\] is filters itself, not a plugin: call it/],
    [
      'plugins',
      { auth, analytics, plugins: [{ name: 'x', apply() {} }] },
      /\[0\] is not a plugin.*a filter goes inside filters\(\[\.\.\.\]\)/,
    ],
    ['plugins', { auth, analytics, plugins: [filters([]), filters([])] }, /has two filters\(\): give one/],
    ['events', { auth, analytics, events: { signedIn: '' } }, /event name, or false/],
    ['events', { auth, analytics, events: { signIn: 'x' } }, /write signedIn or signedOut/],
    ['onError', { auth, analytics, onError: 'console' }, /function/],
    ['debug', { auth, analytics, debug: 'yes' }, /true or false/],
    ['idleTimeout', { auth, analytics, idleTimeout: -1 }, /milliseconds/],
    ['storage', { auth, analytics, storage: {} }, /getItem/],
    [
      'auth',
      { auth: { oktaAuth: auth, authState: null }, analytics },
      /useOktaAuth\(\) result: write auth: useOktaAuth\(\)\.oktaAuth/,
    ],
    [
      'analytics',
      {
        auth,
        analytics: class AnalyticsBrowser {
          static load() {}
        },
      },
      /is the AnalyticsBrowser class: write analytics: AnalyticsBrowser\.load\(\{ writeKey \}\)/,
    ],
    [
      'analytics',
      { auth, analytics: function load() {} },
      /AnalyticsBrowser\.load itself\?\): write analytics: AnalyticsBrowser\.load\(\{ writeKey \}\)/,
    ],
    ['traits', { auth, analytics, traits: ['email'] }, /is an array; write an object of claim name -> trait name/],
    ['onerror', { auth, analytics, onerror: () => {} }, /did you mean `onError`\?/],
    ['plugin', { auth, analytics, plugin: [] }, /is not an option: did you mean `plugins`\?/],
    ['cleanPage', { auth, analytics, cleanPage: 'no' }, /true or false/],
    [
      'trait',
      { auth, analytics, trait: {} },
      /is not an option: did you mean `traits`\? The options are auth, analytics, traits/,
    ],
    ['colour', { auth, analytics, colour: 1 }, /^okta-segment: option `colour` is not an option\. The options are/],
  ])('rejects a bad `%s` with a message that says what to write', (option, options, message) => {
    const e = attempt(options)
    expect(isOptionsError(e)).toBe(true)
    expect(isOktaSegmentError(e)).toBe(true)
    expect(e).toBeInstanceOf(OktaSegmentError)
    expect(e).toMatchObject({ name: 'OptionsError', option, code: 'options' })
    expect((e as Error).message).toMatch(message)
    expect((e as Error).message).toContain(`\`${option}\``)
  })

  it.each([
    ['filters', () => filters({} as never), /must be an array of filters, e.g. \[dropTraits\(\['phone'\]\)\]/],
    [
      'filters',
      () => filters([{ name: 'x' } as never]),
      /\[0\] \("x"\) must be a filter \{ name, destinations\?: string\[\], apply\(event, ctx\) \}.*no apply/,
    ],
    [
      'filters',
      () => filters([hashTraits as never]),
      /\[0\] is hashTraits itself, not a filter: call it, e\.g\. hashTraits\(\['phone'\]\)/,
    ],
    [
      'filters',
      () => filters([{ apply: (e: unknown) => e } as never]),
      /\[0\] has no name: give it one, e\.g\. \{ name: 'noStaff'/,
    ],
    ['filters', () => filters([null as never]), /\[0\] must be a filter.*got null/],
    [
      'filters',
      () => filters([{ name: 'x', apply() {}, destinations: 'GA' } as never]),
      /\[0\] \("x"\) \.destinations must list destination names/,
    ],
    ['groups', () => groups(true as never), /allow: \['Admins'\]/],
    ['groups', () => groups({ allow: [1] } as never), /\.allow/],
    ['groups', () => groups({ allow: /x/, send: 'both' } as never), /'trait' or 'group'/],
  ])('the %s plugin rejects bad options where they are written, saying what to write', (option, make, message) => {
    let e: unknown
    try {
      make()
    } catch (thrown) {
      e = thrown
    }
    expect(isOptionsError(e)).toBe(true)
    expect(e).toMatchObject({ name: 'OptionsError', option, code: 'options' })
    expect((e as Error).message).toMatch(message)
  })

  it('takes the [Analytics, Context] that awaiting AnalyticsBrowser.load() gives, and uses its instance', () => {
    const calls: string[] = []
    const instance = { identify: () => calls.push('identify'), track: () => calls.push('track'), reset() {} }
    expect(() => connect({ auth, analytics: [instance, {}] }).disconnect()).not.toThrow()
  })

  it('type guards also recognise errors by name (another copy of the bundle)', () => {
    const foreign = Object.assign(new Error('x'), { name: 'OptionsError' })
    expect(isOptionsError(foreign)).toBe(true)
    expect(isOktaSegmentError(foreign)).toBe(true)
    expect(isOktaSegmentError(new Error('x'))).toBe(false)
  })
})
