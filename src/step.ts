import { callbackDelay } from './core/callback'
import { deliveryOf } from './core/delivery'
import { desiredFrom, type Desired, type IdentityConfig } from './core/desired'
import { hash } from './core/hash'
import { plan, recordAfter, waits, type Action, type EventNames, type Plan } from './core/plan'
import { sessionKey, type SentRecord } from './core/record'
import { OktaSegmentError } from './errors'
import { SIGN_OUT_WAIT_MS, about, deliver, deliveredWithin, type Target } from './io/analytics'
import type { createOkta } from './io/okta'
import { mayEndSession, takesTurns, type createPage } from './io/page'
import type { RecordStore } from './io/record'
import type { createTabs } from './io/tabs'
import { signOutReason, type PageEvent, type PageState, type Session } from './state'
import type { AuthStateLike, Traits } from './types'

type User = Extract<Desired, { kind: 'user' }>
type Known = Exclude<Desired, { kind: 'unknown' }>

/** What a step needs: the outside parties, the page's state, and the compiled options. */
export interface Parts {
  okta: ReturnType<typeof createOkta>
  target: () => Target | undefined
  record: RecordStore
  tabs: ReturnType<typeof createTabs>
  page: ReturnType<typeof createPage>
  state: () => PageState
  dispatch: (e: PageEvent) => void
  identity: IdentityConfig
  events: EventNames
  /** The bridge's own identify traits, as the filters leave them (the filters plugin); null: dropped. */
  traits: (user: User) => Traits | null | PromiseLike<Traits | null>
  report: (e: Error) => void
  /** Each decision, with its reason (development build); `debug` also logs each call. */
  log: (line: string) => void
  debug: boolean
  /** The path of the OIDC callback this document was loaded as. */
  callbackPath: string | undefined
}

const expiryOf = (s: AuthStateLike | null): number | undefined => {
  const at = [s?.idToken?.expiresAt, s?.accessToken?.expiresAt].filter((n): n is number => typeof n === 'number')
  return at.length ? Math.min(...at) : undefined
}
const text = (v: unknown) => (typeof v === 'string' ? v : undefined)

/**
 * The bridge's pass: what Okta shows -> what analytics should hold -> one step, the critical
 * section (read the record -> stale? -> plan -> call analytics -> write the record), taken as this
 * tab's turn. Resolves `true` to ask for another pass at once.
 */
export const createStep = (x: Parts) => {
  const { okta, record, tabs, page, events, report, log } = x
  let problem: string | undefined // the last claims problem reported (each is reported once)
  let callbackSince: number | undefined // when this page first waited on the OIDC callback page

  /** Writes the record and tells the other tabs, once it is committed. */
  const commit = async (r: SentRecord) => {
    await record.write(r)
    tabs.announce(r)
  }

  const pass = async (): Promise<boolean | void> => {
    const target = x.target()
    if (!target) return void (__DEV__ && log('waiting for analytics to load'))
    let desired: Desired
    try {
      desired = desiredFrom(okta.latest(), x.identity)
    } catch (e) {
      return report(new OktaSegmentError('claims', __DEV__ && 'traits, userId or groups threw; nothing was sent for this state', e))
    }
    if (desired.kind === 'unknown') {
      if (desired.problem && desired.problem !== problem) report(new OktaSegmentError('claims', desired.problem))
      return void (problem = desired.problem)
    }
    problem = undefined
    if (desired.kind === 'user') {
      x.dispatch({ type: 'saw', session: { user: desired.user, expiresAt: expiryOf(okta.latest()) } })
      const onCallback = location.pathname === x.callbackPath
      if (onCallback) callbackSince ??= Date.now()
      const delay = callbackDelay(onCallback, Date.now() - (callbackSince ?? 0))
      if (delay !== undefined) return void (page.request(delay), __DEV__ && log('waiting: this is the OIDC callback page'))
    }
    const version = okta.version()
    // Filtered before the turn: the turn holds the other tabs up, and must not wait on a filter.
    const traits = desired.kind === 'user' ? await x.traits(desired) : undefined
    const turns = takesTurns(page.phase())
    return tabs.turn((locked) => step(target, desired as Known, traits, version, locked, turns), turns)
  }

  const step = async (
    target: Target,
    desired: Known,
    traits: Traits | null | undefined,
    version: number,
    locked: boolean,
    turns: boolean,
  ): Promise<boolean | void> => {
    // A leaving page cannot wait for IndexedDB: it reads what it last knew of the record.
    const old = turns ? await record.read() : record.peek()
    const state = x.state()
    if (state.name === 'closed') return
    if (version !== okta.version()) return void (__DEV__ && log('dropped as stale: the auth state changed meanwhile'))
    // Before anything is read from analytics: reading its user syncs this tab's copy back into the
    // shared storage (analytics-next's getAndSync), which would bring back a user another tab has
    // just reset. So a stale tab, or one waiting on another's sign-out, reads nothing.
    if (!okta.fresh()) return void (__DEV__ && log('waiting: Okta re-evaluates (its state is older than the token storage)'))
    const takeOver = locked || state.name === 'starting'
    if (waits(old, takeOver)) return void (__DEV__ && log('waiting: another tab is finishing its sign-out'))
    const held = about(target)
    const latest = okta.latest()
    const p = plan(
      desired,
      old,
      {
        ...held,
        startup: state.name === 'starting',
        last: state.last?.user,
        unreset: state.name === 'holding',
        reason: signOutReason(state, {
          now: Date.now(),
          expiresAt: expiryOf(latest) ?? state.last?.expiresAt,
          signingOut: okta.signingOut(),
        }),
        takeOver,
      },
      events,
    )
    // The bridge's identify carries what the filters left of its traits (none: a filter dropped it);
    // Signed In that username, Signed Out the one this page knew for the user who leaves (else the
    // one analytics still holds).
    const leaving = old.u && old.u === state.last?.user ? state.last.username : held.username
    const actions = p.actions.flatMap((a): Action[] => {
      if (a.call === 'identify') return traits ? [{ ...a, traits }] : []
      const username = a.call === 'track' && (a.event === events.signedOut ? leaving : text(traits?.username))
      return [username ? { ...a, properties: { ...a.properties, username } } : a]
    })
    const how = deliveryOf(actions, mayEndSession(page.phase()), events)
    if (how === 'next-page') return void (__DEV__ && log(`leaving: the next page sends ${events.signedOut}`))
    if (__DEV__) log(p.why.join('; '))
    const session: Session | null =
      desired.kind === 'user' ? { user: desired.user, username: text(traits?.username), expiresAt: expiryOf(latest) } : null
    let made: readonly Action[] = actions
    let done: Plan = p
    if (how === 'signed-out-first') {
      // Signed Out first, marked in the record, awaited (SIGN_OUT_WAIT_MS at most), then the reset and
      // the rest. A page cut off meanwhile (signOut() redirects) leaves the mark: the next page (or a
      // tab that takes the lock) finishes it with the same Signed Out, attributed to the user.
      const first = deliver(target, actions.slice(0, 1), report, x.debug)
      if (first.thrown.length) return // nothing changed: the next state or page sends it again
      const marker = { ...old, o: (actions[0] as Extract<Action, { call: 'track' }>).properties.reason }
      await commit(marker)
      await deliveredWithin(first.results[0], SIGN_OUT_WAIT_MS)
      if (x.state().name === 'closed') return // disconnected meanwhile: the next bridge finishes it
      // Without Web Locks another page may have finished this sign-out meanwhile (and moved on):
      // then plan again from what is there now, rather than reset what that page has since sent.
      const after = await record.read()
      if (after.o !== marker.o || sessionKey(after) !== sessionKey(marker)) return true
      // Okta moved on meanwhile: end the session, and plan the rest again
      made = actions.slice(1, version === okta.version() ? undefined : 2)
      if (made.length === 1) done = { ...p, record: {} }
    }
    const failed = deliver(target, made, report, x.debug).thrown
    // a reset that threw is retried: at start-up too, and for the user this page knew
    if (!failed.some((a) => a.call === 'reset'))
      x.dispatch({ type: 'acted', holding: done === p ? session : null, reset: made.some((a) => a.call === 'reset') })
    const next = recordAfter(done, old, failed, events)
    // the anonymousId analytics has after the identify: its storage lagging in another tab is not a reset
    const anonymousId = about(target).anonymousId
    if (next.i && !next.n && anonymousId) next.n = hash(anonymousId)
    await commit(next)
  }
  return pass
}
