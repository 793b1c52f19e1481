/**
 * The bridge's timing and cross-tab policies, each a pure function (or a tiny state machine) with
 * its constant named, tested without a DOM; fake timers where time matters.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { CALLBACK_POLL_MS, CALLBACK_WAIT_MS, callbackDelay, callbackPathOf } from '../src/callback-page'
import { EXPIRY_MARGIN_S, SIGN_OUT_WAIT_MS, deliveredWithin, deliveryOf, signOutReason } from '../src/delivery'
import { isStale, signingOut, tokensKey } from '../src/freshness'
import { desiredFrom, type Desired } from '../src/identity'
import { plan, sessionKey, type Action } from '../src/lifecycle'
import { seen } from './helpers/seen'
import { mayEndSession, nextPhase, runsAtOnce, takesTurns } from '../src/page-phase'
import { anotherPass, createRunLoop, onRequest } from '../src/run-loop'
import { fill } from '../src/store'
import { OKTA_STORAGE_KEY, storageSignal } from '../src/tabs'
import { DEFAULT_TRAITS } from '../src/traits'

afterEach(() => vi.useRealTimers())

const events = { signedIn: 'Signed In', signedOut: 'Signed Out' } as const
const user = (sub: string, claims: object = {}): Extract<Desired, { kind: 'user' }> =>
  desiredFrom(
    {
      isAuthenticated: true,
      idToken: {
        claims: {
          sub,
          email: `${sub}@example.com`,
          auth_time: 100,
          iss: 'https://org/oauth2/default',
          aud: 'app1',
          ...claims,
        },
      },
    },
    { map: DEFAULT_TRAITS },
  ) as Extract<Desired, { kind: 'user' }>
const anonymous: Desired = { kind: 'anonymous' }
const calls = (actions: Action[]) =>
  actions.map((a) =>
    a.call === 'track' ? `${a.event}${a.properties.reason ? `(${a.properties.reason})` : ''}` : a.call,
  )
const signedIn = () => plan(user('alice'), {}, seen({ startup: true }), events).record

describe('page phase', () => {
  it('open -> hidden -> open; pagehide -> leaving until pageshow (back/forward cache)', () => {
    expect(nextPhase('open', 'hidden')).toBe('hidden')
    expect(nextPhase('hidden', 'visible')).toBe('open')
    expect(nextPhase('hidden', 'pagehide')).toBe('leaving')
    expect(nextPhase('leaving', 'visible')).toBe('leaving')
    expect(nextPhase('leaving', 'hidden')).toBe('leaving')
    expect(nextPhase('leaving', 'pageshow')).toBe('open')
  })
  it('runs at once when the page hides or leaves; ends sessions and takes turns only while not leaving', () => {
    expect([runsAtOnce('pagehide'), runsAtOnce('hidden'), runsAtOnce('visible'), runsAtOnce('pageshow')]).toEqual([
      true,
      true,
      false,
      false,
    ])
    expect([mayEndSession('open'), mayEndSession('hidden'), mayEndSession('leaving')]).toEqual([true, true, false])
    expect([takesTurns('open'), takesTurns('hidden'), takesTurns('leaving')]).toEqual([true, true, false])
  })
})

describe('OIDC callback page', () => {
  it('is known by code (or a token) and state in the URL the document loaded', () => {
    expect(callbackPathOf('https://app.example/login/callback?code=abc&state=xyz')).toBe('/login/callback')
    expect(callbackPathOf('https://app.example/cb#id_token=e&state=s')).toBe('/cb')
    expect(callbackPathOf('https://app.example/login/callback?state=xyz')).toBeUndefined()
    expect(callbackPathOf('https://app.example/?code=abc')).toBeUndefined()
  })
  it(`a sign-in waits there, looking again every ${CALLBACK_POLL_MS} ms, ${CALLBACK_WAIT_MS} ms at most`, () => {
    expect(callbackDelay(true, 0)).toBe(CALLBACK_POLL_MS)
    expect(callbackDelay(true, CALLBACK_WAIT_MS - 1)).toBe(CALLBACK_POLL_MS)
    expect(callbackDelay(true, CALLBACK_WAIT_MS)).toBeUndefined()
    expect(callbackDelay(false, 0)).toBeUndefined()
  })
})

describe('delivery', () => {
  const out = plan(anonymous, signedIn(), seen({ held: 'alice' }), events).actions
  const switched = plan(user('bob'), signedIn(), seen({ held: 'alice' }), events).actions
  it('Signed Out goes first and is awaited before the reset; while leaving the next page sends it', () => {
    expect(deliveryOf(out, 'open', events)).toBe('signed-out-first')
    expect(deliveryOf(switched, 'hidden', events)).toBe('signed-out-first')
    expect(deliveryOf(out, 'leaving', events)).toBe('next-page')
    expect(deliveryOf(plan(user('alice'), {}, seen(), events).actions, 'leaving', events)).toBe('now')
    expect(deliveryOf([{ call: 'reset' }], 'leaving', events)).toBe('now') // nothing to send: analytics only forgets
  })
  it(`waits for analytics-next's promise ${SIGN_OUT_WAIT_MS} ms at most; a rejection is not a delivery`, async () => {
    vi.useFakeTimers()
    const never = deliveredWithin(new Promise(() => {}), SIGN_OUT_WAIT_MS)
    const soon = deliveredWithin(new Promise((r) => setTimeout(r, 10)), SIGN_OUT_WAIT_MS)
    const rejected = deliveredWithin(Promise.reject(new Error('x')), SIGN_OUT_WAIT_MS)
    await vi.advanceTimersByTimeAsync(10)
    expect(await soon).toBe(true)
    expect(await rejected).toBe(false)
    await vi.advanceTimersByTimeAsync(SIGN_OUT_WAIT_MS)
    expect(await never).toBe(false)
    expect(await deliveredWithin(true, 1)).toBe(true) // a call that returned no promise
  })
  it('the reason: expired tokens, a signOut() under way at load, start-up, another tab, else a sign-out', () => {
    const now = 1_700_000_000_000
    const live = { now, expiresAt: now / 1000 + 3600, external: false, startup: false, signingOut: false }
    expect(signOutReason({ ...live, expiresAt: now / 1000 + EXPIRY_MARGIN_S - 1, startup: true, external: true })).toBe(
      'expired',
    )
    expect(signOutReason({ ...live, startup: true, signingOut: true })).toBe('signed_out') // where signOut() returns
    expect(signOutReason({ ...live, startup: true })).toBe('closed_while_away')
    expect(signOutReason({ ...live, external: true })).toBe('other_tab')
    expect(signOutReason(live)).toBe('signed_out')
    expect(signOutReason({ ...live, expiresAt: undefined })).toBe('signed_out')
  })
})

describe('freshness: a tab never acts on a state older than the token storage', () => {
  const id = (raw: string, pendingRemove = false) => ({ idToken: raw, expiresAt: 2, pendingRemove })
  const state = { isAuthenticated: true, idToken: id('eyJ.a.b'), accessToken: { accessToken: 'at1', expiresAt: 2 } }
  it('stale when the storage holds other tokens, none, or tokens being signed out', () => {
    expect(isStale(state, state)).toBe(false)
    expect(isStale({ isAuthenticated: false }, state)).toBe(true) // just loaded: another tab signed in
    expect(isStale(state, {})).toBe(true) // another tab signed out
    expect(isStale(state, { ...state, idToken: id('eyJ.a.b', true) })).toBe(true) // another tab's signOut()
    expect(isStale(state, undefined)).toBe(false) // no token storage to read: nothing to tell
    expect(tokensKey(state)).not.toBe(tokensKey({ ...state, accessToken: { accessToken: 'at2', expiresAt: 2 } }))
  })
  it('tokens marked pendingRemove: a signOut() is under way', () => {
    expect(signingOut({ idToken: id('x', true) })).toBe(true)
    expect(signingOut({ idToken: id('x') })).toBe(false)
    expect(signingOut(undefined)).toBe(false)
  })
})

describe('tabs', () => {
  it('another tab changed the token storage, the record, or cleared storage', () => {
    expect(storageSignal(OKTA_STORAGE_KEY)).toBe('tokens')
    expect(storageSignal('okta-segment')).toBe('record')
    expect(storageSignal(null)).toBe('both')
    expect(storageSignal('ajs_user_id')).toBeUndefined()
  })
})

describe('run loop', () => {
  it('one pass at a time; requests during a pass make one more pass; closed runs nothing', async () => {
    const order: string[] = []
    let release!: () => void
    const loop = createRunLoop(
      async () => {
        order.push('pass')
        if (order.length === 1) await new Promise<void>((r) => (release = r))
      },
      () => {},
    )
    const first = loop.request()
    expect(loop.state.name).toBe('running')
    void loop.request()
    void loop.request()
    release()
    await first
    expect(order).toEqual(['pass', 'pass'])
    expect(loop.state.name).toBe('idle')
    loop.close()
    await loop.request()
    expect(order).toHaveLength(2)
  })
  it('a pass may ask for another itself; a throwing pass is reported and the loop goes on', async () => {
    const reported: unknown[] = []
    let n = 0
    const loop = createRunLoop(
      async () => {
        n++
        if (n === 1) throw new Error('boom')
        return n < 3
      },
      (e) => reported.push(e),
    )
    await loop.request()
    expect(n).toBe(1)
    await loop.request()
    expect(n).toBe(3)
    expect(reported).toHaveLength(1)
  })
  it('as pure transitions', () => {
    const running = { name: 'running', again: false, done: Promise.resolve() } as const
    expect(onRequest(running).again).toBe(true)
    expect(onRequest({ name: 'idle' })).toEqual({ name: 'idle' })
    expect(anotherPass(running, false)).toBe(false)
    expect(anotherPass(running, true)).toBe(true)
    expect(anotherPass({ name: 'closed' }, true)).toBe(false)
  })
})

describe('the record across pages', () => {
  it('fill: what this page could not vouch for is taken from the stored record of the same user', () => {
    expect(fill({ u: 'A' }, { u: 'A', i: 'i1', a: 'a1' }, false)).toEqual({ u: 'A', i: 'i1', a: 'a1', o: undefined })
    expect(fill({ u: 'A', i: 'i2' }, { u: 'A', i: 'i1', a: 'a1', o: 'signed_out' }, true)).toEqual({
      u: 'A',
      i: 'i2',
      a: 'a1',
      o: undefined,
    })
    expect(fill({ u: 'B' }, { u: 'A', i: 'i1' }, true)).toEqual({ u: 'B' })
    // a page that read the record and ended the session clears it; one that never read it cannot have
    expect(fill({}, { u: 'A', i: 'i1' }, true)).toEqual({})
    expect(fill({}, { u: 'A', i: 'i1' }, false)).toEqual({ u: 'A', i: 'i1' })
  })
})

describe('plan: one Signed In and one Signed Out per session, whichever tab sends them', () => {
  it('messageIds: salted with the source and the app (iss, aud); no readable id in them', () => {
    const ids = (p: ReturnType<typeof plan>) => p.actions.map((a) => ('messageId' in a ? a.messageId : ''))
    const a = ids(plan(user('alice'), {}, seen(), events))
    expect(ids(plan(user('alice'), {}, seen(), events))).toEqual(a) // another tab: the same ids
    const otherSource = ids(plan(user('alice'), {}, seen({ source: 'wk2' }), events))
    const otherApp = ids(plan(user('alice', { aud: 'app2' }), {}, seen(), events))
    for (const other of [otherSource, otherApp]) other.forEach((id, i) => expect(id).not.toBe(a[i]))
    expect(a.join(' ')).toMatch(/^okta-segment-id-\w+ okta-segment-in-\w+$/)
    expect(a.join(' ')).not.toMatch(/alice|example|app1|wk/)
  })
  it('a new anonymousId (after a reset) makes a new identify messageId; Signed In keeps its own', () => {
    const before = plan(user('alice'), {}, seen({ anonymousId: 'x' }), events).actions
    const after = plan(user('alice'), {}, seen({ anonymousId: 'y' }), events).actions
    expect((before[0] as { messageId: string }).messageId).not.toBe((after[0] as { messageId: string }).messageId)
    expect((before[1] as { messageId: string }).messageId).toBe((after[1] as { messageId: string }).messageId)
  })
  it('reasons: the page says why (signOutReason); a user switch is one', () => {
    const r = signedIn()
    expect(calls(plan(anonymous, r, seen({ held: 'alice', reason: 'expired' }), events).actions)).toEqual([
      'Signed Out(expired)',
      'reset',
    ])
    expect(
      calls(plan(anonymous, r, seen({ held: 'alice', startup: true, reason: 'closed_while_away' }), events).actions),
    ).toEqual(['Signed Out(closed_while_away)', 'reset'])
    expect(calls(plan(user('bob'), r, seen({ held: 'alice' }), events).actions)).toEqual([
      'Signed Out(user_switch)',
      'reset',
      'identify',
      'Signed In',
    ])
  })
  it('a sign-out another page has handed to analytics (record `o`): a live page without the lock waits', () => {
    const marked = { ...signedIn(), o: 'signed_out' as const }
    const p = plan(anonymous, marked, seen({ held: 'alice' }), events)
    expect(p.actions).toEqual([])
    expect(p.record).toBe(marked)
    expect(p.why).toEqual(['waiting: another tab is finishing its sign-out'])
    expect(p.waiting).toBe(true)
  })
  it('the page holding the lock, or starting up, finishes it: the same Signed Out (same messageId, reason) and the reset', () => {
    const r = signedIn()
    const marked = { ...r, o: 'signed_out' as const }
    const direct = plan(anonymous, r, seen({ held: 'alice' }), events).actions[0]
    for (const x of [{ takeOver: true }, { takeOver: true, startup: true }]) {
      const p = plan(anonymous, marked, seen({ held: 'alice', reason: 'other_tab', ...x }), events)
      expect(calls(p.actions)).toEqual(['Signed Out(signed_out)', 'reset'])
      expect(p.actions[0]).toEqual(direct)
      expect(p.record).toEqual({})
    }
    // analytics holds nobody: the other page reset; nothing to send, and no second reset (a new anonymousId)
    expect(plan(anonymous, marked, seen({ takeOver: true }), events)).toMatchObject({ actions: [], record: {} })
    // another tab announced it delivered: the reset only
    expect(
      calls(plan(anonymous, marked, seen({ held: 'alice', takeOver: true, ended: sessionKey(r) }), events).actions),
    ).toEqual(['reset'])
    // Okta has the same session again (the sign-out did not complete): the marker goes, nothing is sent
    expect(plan(user('alice'), marked, seen({ held: 'alice', takeOver: true }), events)).toMatchObject({
      actions: [],
      record: r,
    })
  })
  it('analytics holds another user while the record is already this user’s: reset and identify, no second Signed In', () => {
    const bob = plan(user('bob'), {}, seen(), events).record
    const p = plan(user('bob'), { u: bob.u, a: bob.a }, seen({ held: 'alice' }), events)
    expect(calls(p.actions)).toEqual(['reset', 'identify'])
    expect(p.record).toEqual(bob)
  })
  it('a page that knew the session and has not reset since resets, also where analytics holds nobody', () => {
    expect(calls(plan(anonymous, {}, seen({ held: null, unreset: true }), events).actions)).toEqual(['reset'])
    expect(calls(plan(anonymous, {}, seen({ held: null }), events).actions)).toEqual([])
  })
  it('another tab announced this session’s Signed Out as delivered: reset only; an older announcement does not count', () => {
    const r = signedIn()
    expect(calls(plan(anonymous, r, seen({ held: 'alice', ended: sessionKey(r) }), events).actions)).toEqual(['reset'])
    expect(calls(plan(anonymous, r, seen({ held: 'alice', ended: `${r.u}/older` }), events).actions)).toEqual([
      'Signed Out(signed_out)',
      'reset',
    ])
  })
})
