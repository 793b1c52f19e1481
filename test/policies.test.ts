/**
 * The bridge's timing and cross-tab policies, each a pure function (or a tiny state machine) with
 * its constant named, tested without a DOM; fake timers where time matters.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { CALLBACK_POLL_MS, CALLBACK_WAIT_MS, callbackDelay, callbackPathOf } from '../src/core/callback'
import { deliveryOf } from '../src/core/delivery'
import { desiredFrom, signingOut, type Desired } from '../src/core/desired'
import { isFresh, tokensKey } from '../src/core/freshness'
import { TAKE_OVER_AFTER_MS, plan, takeOverDelay, waits, type Action } from '../src/core/plan'
import { hash } from '../src/core/hash'
import { fill, parse, sessionKey } from '../src/core/record'
import { SIGN_OUT_WAIT_MS, deliveredWithin, leftOnStub } from '../src/io/analytics'
import { OKTA_STORAGE_KEY, concernsUs } from '../src/io/tabs'
import { EXPIRY_MARGIN_S, signOutReason, transition, type PageState } from '../src/state'
import { seen } from './helpers/seen'

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
    {},
  ) as Extract<Desired, { kind: 'user' }>
const anonymous: Desired = { kind: 'anonymous' }
const calls = (actions: Action[]) =>
  actions.map(([call, event, properties]) =>
    call === 'track'
      ? `${event}${(properties as { reason?: string }).reason ? `(${(properties as { reason?: string }).reason})` : ''}`
      : call,
  )
const signedIn = () => plan(user('alice'), {}, seen({ startup: true }), events).record

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
    expect(deliveryOf(out, true, events)).toBe('signed-out-first')
    expect(deliveryOf(switched, true, events)).toBe('signed-out-first')
    expect(deliveryOf(out, false, events)).toBe('next-page')
    expect(deliveryOf(plan(user('alice'), {}, seen(), events).actions, false, events)).toBe('now')
    expect(deliveryOf([['reset']], false, events)).toBe('now') // nothing to send: analytics only forgets
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
  it('the reason: a signOut() (pendingRemove, in any tab), expired tokens, a session this page saw, else closed while away', () => {
    const now = 1_700_000_000_000
    const live = now / 1000 + 3600
    const saw: PageState = { name: 'holding', last: { user: 'u1' } }
    const starting: PageState = { name: 'starting' }
    // a click on sign-out in any tab: signed_out, whichever tab sends it, even near expiry
    for (const s of [saw, starting]) expect(signOutReason(s, now, true, now / 1000)).toBe('signed_out')
    expect(signOutReason(starting, now, false, now / 1000 + EXPIRY_MARGIN_S - 1)).toBe('expired')
    expect(signOutReason(saw, now, false, live)).toBe('signed_out')
    // a page that has not acted yet but saw the user signed in: not "closed while away"
    expect(signOutReason({ name: 'starting', last: { user: 'u1' } }, now, false, live)).toBe('signed_out')
    expect(signOutReason(starting, now, false, live)).toBe('closed_while_away')
    expect(signOutReason(starting, now, false)).toBe('closed_while_away') // expiry unknown
  })
})

describe("the snippet's stub", () => {
  it('what the bridge pushed and analytics.js left behind on it once it set the loaded instance', () => {
    const ready = ['ready', () => {}]
    const middleware = ['addSourceMiddleware', () => {}]
    const app = ['page']
    const instance = { identify() {} }
    // not loaded yet: everything on the stub will be read
    const stub = [app, ready, middleware]
    expect(leftOnStub(stub, [ready, middleware], stub)).toEqual([])
    expect(leftOnStub(stub, [ready, middleware], [])).toEqual([]) // another stub
    expect(leftOnStub(stub, [ready, middleware], undefined)).toEqual([])
    // loaded: what is still on the stub was never read; the app's own calls are its own
    expect(leftOnStub(stub, [ready, middleware], instance)).toEqual([ready, middleware])
    expect(leftOnStub([app, middleware], [ready, middleware], instance)).toEqual([middleware])
    expect(leftOnStub([], [ready, middleware], instance)).toEqual([]) // all read: nothing made twice
  })
})

describe('page state', () => {
  const session = { user: 'u1', expiresAt: 10 }
  it('Okta’s callback only records: a pass when idle, or soon for signOut()’s pendingRemove state', () => {
    const s: PageState = { name: 'starting' }
    expect(transition(s, { type: 'okta', urgent: false })).toEqual([s, 'idle'])
    expect(transition(s, { type: 'okta', urgent: true })).toEqual([s, 'soon'])
  })
  it('a pass that saw a session keeps it as `last`, with the username of this user’s identify', () => {
    const [seenOnce] = transition({ name: 'starting' }, { type: 'saw', session })
    expect(seenOnce).toEqual({ name: 'starting', last: { ...session, username: undefined } })
    const holding: PageState = { name: 'holding', last: { ...session, username: 'alice' } }
    expect(transition(holding, { type: 'saw', session: { ...session, expiresAt: 20 } })[0]).toEqual({
      name: 'holding',
      last: { user: 'u1', username: 'alice', expiresAt: 20 },
    })
    expect(transition(holding, { type: 'saw', session: { user: 'u2' } })[0].last).toEqual({
      user: 'u2',
      username: undefined,
    })
  })
  it('acting: holding a session, or clear after a reset (and after start-up); last is kept', () => {
    const last = { user: 'u1', username: 'alice' }
    expect(transition({ name: 'starting' }, { type: 'acted', holding: last, reset: false })[0]).toEqual({
      name: 'holding',
      last,
    })
    expect(transition({ name: 'holding', last }, { type: 'acted', holding: null, reset: true })[0]).toEqual({
      name: 'clear',
      last,
    })
    expect(transition({ name: 'starting' }, { type: 'acted', holding: null, reset: false })[0]).toEqual({
      name: 'clear',
      last: undefined,
    })
    expect(transition({ name: 'holding', last }, { type: 'acted', holding: null, reset: false })[0]).toEqual({
      name: 'holding',
      last,
    })
  })
  it('closed is final', () => {
    const [closed] = transition({ name: 'holding', last: session }, { type: 'close' })
    expect(closed).toEqual({ name: 'closed' })
    for (const e of [
      { type: 'okta', urgent: true },
      { type: 'saw', session },
    ] as const)
      expect(transition(closed, e)).toEqual([closed])
  })
})

describe('freshness: a tab never acts on a state older than the token storage', () => {
  const id = (raw: string, pendingRemove = false) => ({ idToken: raw, expiresAt: 2, pendingRemove })
  const state = { isAuthenticated: true, idToken: id('eyJ.a.b'), accessToken: { accessToken: 'at1', expiresAt: 2 } }
  it('stale when the storage holds other tokens, none, or tokens being signed out', () => {
    expect(isFresh(state, state)).toBe(true)
    expect(isFresh({ isAuthenticated: false }, state)).toBe(false) // just loaded: another tab signed in
    expect(isFresh(state, {})).toBe(false) // another tab signed out
    expect(isFresh(state, { ...state, idToken: id('eyJ.a.b', true) })).toBe(false) // another tab's signOut()
    expect(isFresh(state, undefined)).toBe(true) // no token storage to read: nothing to tell
    expect(tokensKey(state)).not.toBe(tokensKey({ ...state, accessToken: { accessToken: 'at2', expiresAt: 2 } }))
  })
  it('a storage Okta re-evaluated at this tab’s request is taken as it is', () => {
    expect(isFresh({ isAuthenticated: false }, state, tokensKey(state))).toBe(true)
  })
  it('tokens marked pendingRemove: a signOut() is under way', () => {
    expect(signingOut({ idToken: id('x', true) })).toBe(true)
    expect(signingOut({ idToken: id('x') })).toBe(false)
    expect(signingOut(undefined)).toBe(false)
  })
})

describe('tabs', () => {
  it('a storage event concerns the bridge for Okta’s tokens, the record, or cleared storage', () => {
    expect(concernsUs(OKTA_STORAGE_KEY)).toBe(true)
    expect(concernsUs('okta-segment')).toBe(true)
    expect(concernsUs(null)).toBe(true)
    expect(concernsUs('ajs_user_id')).toBe(false)
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
    // the anonymousId at the identify goes with the identify it vouches for
    expect(fill({ u: 'A', i: 'i2', n: 'n2' }, { u: 'A', i: 'i1', n: 'n1' }, true)).toMatchObject({ i: 'i2', n: 'n2' })
    expect(fill({ u: 'A' }, { u: 'A', i: 'i1', n: 'n1' }, true)).toMatchObject({ i: 'i1', n: 'n1' })
  })
  it('parse: strings only, a known reason only; JSON (localStorage) or an object (IndexedDB, another tab)', () => {
    const r = { u: 'A', i: 'I', n: 'N', a: 'X', o: 'signed_out' }
    expect(parse(JSON.stringify(r))).toEqual(r)
    expect(parse(r)).toEqual(r)
    expect(parse({ u: 1, o: 'other' })).toEqual({})
    expect(parse({ u: 'A', o: 'other_tab' })).toEqual({ u: 'A' }) // 0.1's reason: the sign-out is planned anew
    for (const bad of [null, undefined, '{', 'null', 42]) expect(parse(bad)).toEqual({})
  })
})

describe('plan: one Signed In and one Signed Out per session, whichever tab sends them', () => {
  it('messageIds: salted with the source and the app (iss, aud); no readable id in them', () => {
    const ids = (p: ReturnType<typeof plan>) => p.actions.map((a) => (a[0] === 'reset' ? '' : a[3].messageId))
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
    expect(before[0]![3]).not.toEqual(after[0]![3])
    expect(before[1]![3]).toEqual(after[1]![3])
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
    expect(waits(marked, false)).toBe(true)
    expect(waits(marked, true)).toBe(false) // it holds the lock, or starts up: it takes over
    expect(waits(signedIn(), false)).toBe(false)
  })
  it(`a live tab holding the lock leaves a marked sign-out ${TAKE_OVER_AFTER_MS} ms unless it sees the note; a page starting up takes it at once`, () => {
    expect(takeOverDelay(false, false, 1000, 1000)).toBe(TAKE_OVER_AFTER_MS)
    expect(takeOverDelay(false, false, 1000, 1000 + TAKE_OVER_AFTER_MS - 1)).toBe(1)
    expect(takeOverDelay(false, false, 1000, 1000 + TAKE_OVER_AFTER_MS)).toBeUndefined()
    expect(takeOverDelay(false, true, 1000, 1000)).toBeUndefined() // the note: delivered or kept
    expect(takeOverDelay(true, false, 1000, 1000)).toBeUndefined() // starting up: it reads the note
  })
  it('the page holding the lock, or starting up, finishes it: the same Signed Out (same messageId, reason) and the reset', () => {
    const r = signedIn()
    const marked = { ...r, o: 'signed_out' as const }
    const direct = plan(anonymous, r, seen({ held: 'alice' }), events).actions[0]
    for (const x of [{ takeOver: true }, { takeOver: true, startup: true }]) {
      const p = plan(anonymous, marked, seen({ held: 'alice', reason: 'expired', ...x }), events)
      expect(calls(p.actions)).toEqual(['Signed Out(signed_out)', 'reset'])
      expect(p.actions[0]).toEqual(direct)
      expect(p.record).toEqual({})
    }
    // a page that saw the session and has not reset since (unreset) finishes it with one reset, not two
    expect(
      calls(plan(anonymous, marked, seen({ held: 'alice', takeOver: true, unreset: true }), events).actions),
    ).toEqual(['Signed Out(signed_out)', 'reset'])
    // analytics holds nobody: the other page reset; nothing to send, and no second reset (a new anonymousId)
    expect(plan(anonymous, marked, seen({ takeOver: true }), events)).toMatchObject({ actions: [], record: {} })
    // that page saw it delivered before it was cut off: the reset only; another session's delivery does not count
    const delivered = sessionKey(r)
    expect(calls(plan(anonymous, marked, seen({ held: 'alice', takeOver: true, delivered }), events).actions)).toEqual([
      'reset',
    ])
    expect(
      calls(
        plan(anonymous, marked, seen({ held: 'alice', takeOver: true, delivered: `${r.u}/older` }), events).actions,
      ),
    ).toEqual(['Signed Out(signed_out)', 'reset'])
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
})

describe('a reset stays done (README rule 8)', () => {
  const anon = 'anon-before-sign-out'
  it('ending a session keeps a hash of its anonymousId in the record (x), nothing else', () => {
    const r = { ...signedIn(), n: hash(anon) }
    const p = plan(anonymous, r, seen({ held: 'alice', anonymousId: anon }), events)
    expect(calls(p.actions)).toEqual(['Signed Out(signed_out)', 'reset'])
    expect(p.record).toEqual({ x: hash(anon) })
    // no identify recorded its anonymousId: the one analytics holds as the session ends
    const q = plan(anonymous, signedIn(), seen({ held: 'alice', anonymousId: 'other' }), events)
    expect(q.record).toEqual({ x: hash('other') })
  })
  it('analytics holding the ended session’s anonymousId again while Okta shows nobody: reset again', () => {
    const p = plan(anonymous, { x: hash(anon) }, seen({ held: null, anonymousId: anon }), events)
    expect(calls(p.actions)).toEqual(['reset'])
    expect(p.record).toEqual({ x: hash(anon) }) // still known, should it come back once more
    // a new anonymousId (the reset held), or none yet: nothing to do
    expect(plan(anonymous, { x: hash(anon) }, seen({ held: null, anonymousId: 'new' }), events).actions).toEqual([])
    expect(plan(anonymous, { x: hash(anon) }, seen({ held: null }), events).actions).toEqual([])
  })
  it('a sign-in after it records the new session only', () => {
    const p = plan(user('alice'), { x: hash(anon) }, seen({ held: null, anonymousId: 'new' }), events)
    expect(p.record.x).toBeUndefined()
    expect(calls(p.actions)).toEqual(['identify', 'Signed In'])
  })
  it('parse keeps x; a storage event for analytics’ anonymousId makes a tab look again', () => {
    expect(parse('{"x":"abc","z":"no"}')).toEqual({ x: 'abc' })
    expect(concernsUs('ajs_anonymous_id')).toBe(true)
  })
})
