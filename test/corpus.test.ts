// @vitest-environment happy-dom
/**
 * The bad-input corpus (test/corpus/): every case ends in a clear OptionsError at connect(), a safe
 * skip reported to onError, or an identify with the bad part removed; never an exception into Okta
 * or the page, never a polluted prototype. Claims cases go through the real okta-auth-js (which
 * stores tokens as JSON, so `__proto__` keys arrive as own properties, as from a real ID token).
 */
import { afterAll, describe, expect, it } from 'vitest'
import {
  connect,
  groups,
  isOktaSegmentError,
  isOptionsError,
  type AuthStateLike,
  type GroupsOption,
  type Options,
} from '../src/index'
import claimsJson from './corpus/claims.json'
import { generatedClaims, options, states, type ClaimsCase, type Expect } from './corpus/inputs'
import { alice } from './helpers/jwt'
import { createOkta, mintTokens, settle, signIn } from './helpers/okta'

const protoNames = () =>
  [Object.prototype, Array.prototype, Function.prototype].map((p) => Object.getOwnPropertyNames(p).sort().join())
const pristine = protoNames()
const notPolluted = () => {
  expect(protoNames()).toEqual(pristine)
  expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  expect(({} as Record<string, unknown>).isAdmin).toBeUndefined()
}

const recorder = () => {
  const calls: unknown[][] = []
  let held: string | null = null
  return {
    calls,
    analytics: {
      identify: (id: string, traits: unknown) => void (calls.push(['identify', id, traits]), (held = id)),
      track: (event: string) => void calls.push(['track', event]),
      group: (id: string) => void calls.push(['group', id]),
      reset: () => void (calls.push(['reset']), (held = null)),
      user: () => ({ id: () => held }),
    },
  }
}

/** Options from JSON: `groups` is the groups plugin's, whose string `allow` is a RegExp source. */
const fromJson = ({ groups: g, ...o }: Record<string, unknown> = {}): Partial<Options> => {
  if (!g) return o
  const { allow, ...rest } = g as GroupsOption
  return { ...o, plugins: [groups({ ...rest, allow: typeof allow === 'string' ? new RegExp(allow) : allow })] }
}

/** A bridge over `auth` with a recording analytics and memory storage, errors collected. */
const bridged = (auth: Options['auth'], options: Partial<Options> = {}) => {
  const { calls, analytics } = recorder()
  const errors: Error[] = []
  return {
    calls,
    errors,
    bridge: connect({ auth, analytics, storage: null, onError: (e) => errors.push(e), ...options }),
  }
}

const outcome = (expected: Expect, calls: unknown[][], errors: Error[], sub: unknown) => {
  if (expected === 'skip' || expected === 'nothing') {
    expect(calls).toEqual([])
    if (expected === 'skip') {
      expect(errors.length).toBeGreaterThan(0)
      for (const e of errors) expect(isOktaSegmentError(e) && ['claims', 'auth'].includes(e.code)).toBe(true)
    }
    return
  }
  expect(errors).toEqual([])
  expect(calls[0]).toEqual(['identify', expected.userId ?? sub, expected.traits])
  expect(calls.at(-1)).toEqual(['track', 'Signed In'])
}

const tally = { throws: 0, skip: 0, sanitized: 0 }
const count = (e: Expect | 'throws') =>
  e === 'throws' ? tally.throws++ : e === 'skip' || e === 'nothing' ? tally.skip++ : tally.sanitized++
afterAll(() =>
  console.info(
    `[corpus] ${tally.throws + tally.skip + tally.sanitized} cases: ${tally.throws} rejected at connect(), ${tally.skip} skipped (reported), ${tally.sanitized} sent with the bad part removed`,
  ),
)

describe('bad-input corpus', () => {
  const claimsCases = [...(claimsJson as ClaimsCase[]), ...generatedClaims]
  it.each(claimsCases.map((c) => [c.name, c] as const))(
    'claims through the real okta-auth-js: %s',
    async (_name, c) => {
      const okta = createOkta()
      const { calls, errors, bridge } = bridged(okta, fromJson(c.options))
      signIn(okta, c.claims)
      await settle(okta)
      await expect(bridge.flush()).resolves.toBeUndefined()
      bridge.disconnect()
      outcome(c.expect, calls, errors, c.claims.sub)
      notPolluted()
      count(c.expect)
    },
  )

  it.each(states.map((c) => [c.name, c] as const))('auth state: %s', async (_name, c) => {
    const state = c.state()
    const auth = {
      authStateManager: {
        getAuthState: () => state as AuthStateLike,
        subscribe: () => undefined,
        unsubscribe: () => undefined,
      },
    }
    const { calls, errors, bridge } = bridged(auth, c.options)
    await expect(bridge.flush()).resolves.toBeUndefined()
    bridge.disconnect()
    outcome(c.expect, calls, errors, '00uCorpusGenerated01')
    notPolluted()
    count(c.expect)
  })

  const rejects = (c: (typeof options)[number]) => {
    const valid = { auth: createOkta(), analytics: recorder().analytics }
    let thrown: unknown
    try {
      connect(c.options(valid) as never)
    } catch (e) {
      thrown = e
    }
    expect(isOptionsError(thrown)).toBe(true)
    expect((thrown as { option: string }).option).toBe(c.option)
    expect((thrown as Error).message).toMatch(new RegExp(`option \`${c.option.replace(/[$_]/g, '\\$&')}\``))
    notPolluted()
    count('throws')
  }
  it.each(options.map((c) => [c.name, c] as const))('connect() options: %s', (_name, c) => rejects(c))

  // With the real okta-auth-js: states only a misbehaving app config or token can produce.
  it('real okta: transformAuthState throws after sign-in (state with error): no sign-out, one report', async () => {
    let fail = false
    const okta = createOkta({
      options: {
        transformAuthState: async (_sdk, s) => {
          if (fail) throw new Error('app transform failed')
          return s
        },
      },
    })
    const { calls, errors, bridge } = bridged(okta)
    signIn(okta, alice)
    await settle(okta)
    await bridge.flush()
    fail = true
    signIn(okta, alice) // a renewal, evaluated through the throwing transform
    await settle(okta)
    expect(okta.authStateManager.getAuthState()?.error).toBeInstanceOf(Error)
    await bridge.flush()
    bridge.disconnect()
    expect(calls.map((c) => c[0])).toEqual(['identify', 'track']) // no Signed Out, no reset
    expect(errors.map((e) => isOktaSegmentError(e) && e.code)).toEqual(['claims'])
    count('skip')
  })

  it('real okta: authenticated by access token alone (no ID token): skipped and reported', async () => {
    const okta = createOkta({
      options: { transformAuthState: async (_sdk, s) => ({ ...s, isAuthenticated: !!s.accessToken }) },
    })
    const { calls, errors, bridge } = bridged(okta)
    const { accessToken } = mintTokens(alice)
    okta.tokenManager.setTokens({ accessToken })
    await settle(okta)
    expect(okta.authStateManager.getAuthState()?.isAuthenticated).toBe(true)
    await bridge.flush()
    bridge.disconnect()
    outcome('skip', calls, errors, undefined)
    count('skip')
  })

  it('real okta: a malformed JWT stored without claims: skipped and reported', async () => {
    const okta = createOkta()
    const { calls, errors, bridge } = bridged(okta)
    const tokens = mintTokens(alice)
    okta.tokenManager.setTokens({
      ...tokens,
      idToken: { ...tokens.idToken, idToken: 'not-a-jwt', claims: undefined as never },
    })
    await settle(okta)
    await bridge.flush()
    bridge.disconnect()
    outcome('skip', calls, errors, undefined)
    count('skip')
  })
})
