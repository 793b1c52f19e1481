import { describe, expect, it } from 'vitest'
import { desiredFrom, type Desired } from '../src/core/desired'
import { hash } from '../src/core/hash'
import { plan, recordAfter } from '../src/core/plan'
import type { SentRecord } from '../src/core/record'
import { seen } from './helpers/seen'

const events = { signedIn: 'Signed In', signedOut: 'Signed Out' } as const
const user = (sub: string, extra: object = {}): Desired =>
  desiredFrom(
    { isAuthenticated: true, idToken: { claims: { sub, email: `${sub}@example.com`, auth_time: 100, ...extra } } },
    {},
  )
const anonymous: Desired = { kind: 'anonymous' }
const s = seen
/** Alice's first sign-in in this browser: a fresh plan each call. */
const firstSignIn = () => plan(user('alice'), {}, s({ held: null, startup: true }), events)
const calls = (p: ReturnType<typeof plan>) =>
  p.actions.map(([call, event]) => (call === 'track' ? `track:${event}` : call))

describe('plan', () => {
  it('first sign-in: identify then Signed In, and a record of hashes only', () => {
    const p = firstSignIn()
    expect(calls(p)).toEqual(['identify', 'track:Signed In'])
    expect(JSON.stringify(p.record)).not.toMatch(/alice|example/)
  })

  it('reload or renewal with the same claims: nothing', () => {
    const { record } = firstSignIn()
    expect(calls(plan(user('alice', { iat: 5 }), record, s({ held: 'alice', startup: true }), events))).toEqual([])
    expect(calls(plan(user('alice'), record, s({ held: undefined, startup: false }), events))).toEqual([])
  })

  it('changed claims: identify only; a new authentication: Signed In only', () => {
    const { record } = firstSignIn()
    expect(
      calls(plan(user('alice', { email: 'a2@example.com' }), record, s({ held: 'alice', startup: false }), events)),
    ).toEqual(['identify'])
    expect(
      calls(plan(user('alice', { auth_time: 200 }), record, s({ held: 'alice', startup: false }), events)),
    ).toEqual(['track:Signed In'])
  })

  it('identifies again when analytics lost the user (the app called reset: a new anonymousId)', () => {
    const record = { ...firstSignIn().record, n: hash('anon-1') } // the anonymousId at the identify, as step.ts fills it in
    expect(calls(plan(user('alice'), record, s({ held: null, anonymousId: 'anon-2' }), events))).toEqual(['identify'])
    // an old record without it, or a plan that cannot tell
    expect(
      calls(plan(user('alice'), { ...record, n: undefined }, s({ held: null, anonymousId: 'a' }), events)),
    ).toEqual(['identify'])
  })

  it('not when this tab’s copy of analytics’ storage lags behind another process (the same anonymousId)', () => {
    const record = { ...firstSignIn().record, n: hash('anon-1') }
    expect(calls(plan(user('alice'), record, s({ held: null, anonymousId: 'anon-1' }), events))).toEqual([])
    expect(plan(user('alice'), record, s({ held: null, anonymousId: 'anon-1' }), events).record.n).toBe(record.n)
  })

  it('sign-out: Signed Out then reset, record cleared; nothing more after', () => {
    const { record } = firstSignIn()
    const out = plan(anonymous, record, s({ held: 'alice', startup: false }), events)
    expect(calls(out)).toEqual(['track:Signed Out', 'reset'])
    expect(out.record).toEqual({})
    expect(calls(plan(anonymous, out.record, s({ held: null, startup: false }), events))).toEqual([])
  })

  it('start-up reconciliation: analytics holds a user Okta does not', () => {
    expect(calls(plan(anonymous, {}, s({ held: 'alice', startup: true }), events))).toEqual(['reset'])
    expect(calls(plan(anonymous, {}, s({ held: 'alice', startup: false }), events))).toEqual([])
  })

  it('another tab signed out: reset the user this page knew, without a second Signed Out', () => {
    const alice = user('alice')
    const last = alice.kind === 'user' ? alice.user : ''
    expect(calls(plan(anonymous, {}, s({ held: 'alice', startup: false, last }), events))).toEqual(['reset'])
    expect(calls(plan(anonymous, {}, s({ held: 'bob', startup: false, last }), events))).toEqual([])
  })

  it('user switch without sign-out: Signed Out and reset before the new identify', () => {
    const { record } = firstSignIn()
    expect(calls(plan(user('bob'), record, s({ held: 'alice', startup: false }), events))).toEqual([
      'track:Signed Out',
      'reset',
      'identify',
      'track:Signed In',
    ])
    expect(calls(plan(user('bob'), {}, s({ held: 'alice', startup: false }), events))).toEqual([
      'reset',
      'identify',
      'track:Signed In',
    ])
  })

  it('event names can be renamed or turned off', () => {
    const { record } = firstSignIn()
    expect(
      calls(
        plan(anonymous, record, s({ held: 'alice', startup: false }), { signedIn: false, signedOut: 'Logged Out' }),
      ),
    ).toEqual(['track:Logged Out', 'reset'])
    expect(
      calls(plan(user('alice'), {}, s({ held: null, startup: false }), { signedIn: false, signedOut: false })),
    ).toEqual(['identify'])
  })

  it('unknown: nothing, record kept', () => {
    const record: SentRecord = { u: 'x', i: 'y', a: 'z' }
    expect(plan({ kind: 'unknown' }, record, s({ held: 'alice', startup: true }), events)).toEqual({
      actions: [],
      record,
      why: [],
    })
  })
})

describe('recordAfter', () => {
  it('keeps the record so that exactly the calls that threw are retried', () => {
    const p = firstSignIn()
    const [identify, signedIn] = p.actions
    expect(recordAfter(p, {}, [], events)).toEqual(p.record)
    expect(recordAfter(p, {}, [identify!], events)).toEqual({ ...p.record, i: undefined })
    expect(recordAfter(p, {}, [signedIn!], events)).toEqual({ ...p.record, a: undefined })
    const out = plan(anonymous, p.record, s({ held: 'alice', startup: false }), events)
    expect(recordAfter(out, p.record, [out.actions[1]!], events)).toEqual(p.record) // reset threw: retry the sign-out
    expect(recordAfter(out, p.record, [out.actions[0]!], events)).toEqual({}) // only Signed Out threw: the user is gone anyway
  })
})
