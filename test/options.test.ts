import { describe, expect, it } from 'vitest'
import { connect, hashTraits, isOktaSegmentError, isOptionsError, OktaSegmentError, type Options } from '../src/index'

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
    ['groups', { auth, analytics, groups: true }, /allow: \['Admins'\]/],
    ['groups', { auth, analytics, groups: { allow: [1] } }, /\.allow/],
    ['groups', { auth, analytics, groups: { allow: /x/, send: 'both' } }, /'trait' or 'group'/],
    ['events', { auth, analytics, events: { signedIn: '' } }, /event name, or false/],
    ['events', { auth, analytics, events: { signIn: 'x' } }, /write signedIn or signedOut/],
    ['onError', { auth, analytics, onError: 'console' }, /function/],
    ['debug', { auth, analytics, debug: 'yes' }, /true or false/],
    ['idleTimeout', { auth, analytics, idleTimeout: -1 }, /milliseconds/],
    ['storage', { auth, analytics, storage: {} }, /getItem/],
    ['filters', { auth, analytics, filters: {} }, /must be an array of filters, e.g. \[dropTraits\(\['phone'\]\)\]/],
    [
      'filters',
      { auth, analytics, filters: [{ name: 'x' }] },
      /\[0\] \("x"\) must be a filter \{ name, destinations\?: string\[\], apply\(event, ctx\) \}.*no apply/,
    ],
    [
      'filters',
      { auth, analytics, filters: [hashTraits] },
      /\[0\] is hashTraits itself, not a filter: call it, e\.g\. hashTraits\(\['phone'\]\)/,
    ],
    [
      'filters',
      { auth, analytics, filters: [{ apply: (e: unknown) => e }] },
      /\[0\] has no name: give it one, e\.g\. \{ name: 'noStaff'/,
    ],
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
    ['filter', { auth, analytics, filter: [] }, /is not an option: did you mean `filters`\?/],
    ['onerror', { auth, analytics, onerror: () => {} }, /did you mean `onError`\?/],
    ['filters', { auth, analytics, filters: [null] }, /\[0\] must be a filter.*got null/],
    [
      'filters',
      { auth, analytics, filters: [{ name: 'x', apply() {}, destinations: 'GA' }] },
      /\[0\] \("x"\) \.destinations must list destination names/,
    ],
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
