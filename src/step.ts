import { callbackDelay } from './core/callback'
import { deliveryOf } from './core/delivery'
import { desiredFrom, type Desired, type IdentityConfig } from './core/desired'
import { hash } from './core/hash'
import { plan, recordAfter, takeOverDelay, waits, type Action, type EventNames, type Plan } from './core/plan'
import { endedRecord, sessionKey, type SentRecord } from './core/record'
import { OktaSegmentError } from './errors'
import { SIGN_OUT_WAIT_MS, about, deliver, deliveredWithin, keptOnLeaving, type Target } from './io/analytics'
import type { createOkta } from './io/okta'
import { settled, type createPage } from './io/page'
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

/** What a bridge's passes remember: the last claims problem reported (each is reported once), and
 * when this page first waited on the OIDC callback page. */
interface Memo {
  problem?: string
  callbackSince?: number
  /** When this page first found a sign-out another page marked (see `takeOverDelay`). */
  markSince?: number
}

/** Writes the record and tells the other tabs, once it is committed. */
const commit = async (x: Parts, r: SentRecord) => {
  await x.record.write(r)
  x.tabs.announce(r)
}

/** Okta's state -> what analytics should hold; `undefined`: nothing to do for this state now. */
const desire = (x: Parts, memo: Memo): Known | undefined => {
  let desired: Desired
  try {
    desired = desiredFrom(x.okta.latest(), x.identity)
  } catch (e) {
    return void x.report(
      new OktaSegmentError('claims', __DEV__ && 'traits, userId or groups threw; nothing was sent for this state', e),
    )
  }
  if (desired.kind === 'unknown') {
    if (desired.problem && desired.problem !== memo.problem) x.report(new OktaSegmentError('claims', desired.problem))
    return void (memo.problem = desired.problem)
  }
  memo.problem = undefined
  if (desired.kind === 'user') {
    x.dispatch({ type: 'saw', session: { user: desired.user, expiresAt: expiryOf(x.okta.latest()) } })
    // the OIDC callback page redirects at once: a sign-in waits for the page the user lands on
    const onCallback = !!x.callbackPath && location.pathname === x.callbackPath
    if (onCallback) memo.callbackSince ??= Date.now()
    const delay = callbackDelay(onCallback, Date.now() - (memo.callbackSince ?? 0))
    if (delay !== undefined)
      return void (x.page.request(delay), __DEV__ && x.log('waiting: this is the OIDC callback page'))
  }
  return desired
}

/**
 * The bridge's pass: what Okta shows -> what analytics should hold -> one step, the critical
 * section (read the record -> stale? -> plan -> call analytics -> write the record), taken as this
 * tab's turn. A pass resolves `true` to ask for another at once.
 */
export const createStep = (x: Parts) => {
  const memo: Memo = {}
  return async (): Promise<boolean | void> => {
    const target = x.target()
    if (!target) return void (__DEV__ && x.log('waiting for analytics to load'))
    const desired = desire(x, memo)
    if (!desired) return
    const version = x.okta.version()
    // Filtered before the turn: the turn holds the other tabs up, and must not wait on a filter.
    const traits = desired.kind === 'user' ? await x.traits(desired) : undefined
    // not while leaving: a lock is granted in a later task, too late for `pagehide`
    return x.tabs.turn((locked) => step(x, { target, desired, traits, version, locked, memo }), settled(x.page.phase()))
  }
}

interface Input {
  target: Target
  desired: Known
  traits: Traits | null | undefined
  /** The Okta state it was worked out from (`okta.version()`). */
  version: number
  /** This page holds the lock across tabs. */
  locked: boolean
  memo: Memo
}

/** The critical section (see io/tabs.ts and io/record.ts for why nothing another tab wrote is missed). */
const step = async (x: Parts, input: Input): Promise<boolean | void> => {
  const { target, desired, traits, version, locked } = input
  const { okta, events, log } = x
  // A leaving page reads what it last knew of the record (see io/record.ts), without waiting for a task.
  const old = await x.record.read()
  const state = x.state()
  if (state.name === 'closed') return
  if (version !== okta.version()) return void (__DEV__ && log('dropped as stale: the auth state changed meanwhile'))
  // Before anything is read from analytics: reading its user syncs this tab's copy back into the
  // shared storage (analytics-next's getAndSync), which would bring back a user another tab has
  // just reset. So a stale tab, or one waiting on another's sign-out, reads nothing.
  if (!okta.fresh())
    return void (__DEV__ && log('waiting: Okta re-evaluates (its state is older than the token storage)'))
  const startup = state.name === 'starting'
  const takeOver = locked || startup
  if (waits(old, takeOver)) return void (__DEV__ && log('waiting: another tab is finishing its sign-out'))
  const delivered = old.o && x.record.delivered()
  const { memo } = input
  memo.markSince = old.o ? (memo.markSince ?? Date.now()) : undefined
  const delay = old.o && takeOverDelay(startup, delivered === sessionKey(old), memo.markSince!, Date.now())
  if (delay)
    return void (x.page.request(delay), __DEV__ && log('waiting: the page that began this sign-out may have noted it'))
  const held = about(target)
  const latest = okta.latest()
  const reason = signOutReason(state, Date.now(), okta.signingOut(), expiryOf(latest) ?? state.last?.expiresAt)
  const last = state.last
  const seen = { ...held, startup, last: last?.user, unreset: state.name === 'holding' }
  const p = plan(desired, old, { ...seen, reason, takeOver, delivered: delivered || undefined }, events)
  // The bridge's identify carries what the filters left of its traits (none: a filter dropped it);
  // Signed In that username, Signed Out the one this page knew for the user who leaves (else the
  // one analytics still holds).
  const username = text(traits?.username)
  const leaving = old.u && old.u === last?.user ? last.username : held.username
  const actions = p.actions.flatMap((a): Action[] => {
    if (a[0] === 'identify') return traits ? [['identify', a[1], traits, a[3]]] : []
    const name = a[0] === 'track' && (a[1] === events.signedOut ? leaving : username)
    return [name ? ['track', a[1], { ...a[2], username: name }, a[3]] : a]
  })
  const how = deliveryOf(actions, settled(x.page.phase()), events)
  if (how === 'next-page') return void (__DEV__ && log(`leaving: the next page sends ${events.signedOut}`))
  if (__DEV__) log(p.why.join('; '))
  const session = desired.kind === 'user' ? { user: desired.user, username, expiresAt: expiryOf(latest) } : null
  const done = { target, old, plan: p, session }
  return how === 'now' ? finish(x, done, p, actions) : signedOutFirst(x, done, actions, version)
}

/** A step's plan, with what it was made from. */
interface Done {
  target: Target
  old: SentRecord
  plan: Plan
  session: Session | null
}

/**
 * Signed Out first, marked in the record, awaited (SIGN_OUT_WAIT_MS at most), then the reset and
 * the rest. The mark is committed before the call, which is made in the task where the commit
 * completes: marked if and only if handed to analytics. A page cut off before the commit completes
 * (signOut() redirects; Chromium then drops the write) leaves no mark, and made no call: the next
 * page or another tab sends it. A page cut off after it leaves the mark: the next page (or a tab that
 * takes the lock) finishes it, with the same Signed Out again unless it was seen delivered.
 */
const signedOutFirst = async (x: Parts, w: Done, actions: Action[], version: number) => {
  const marker = { ...w.old, o: (actions[0]![2] as { reason?: SentRecord['o'] }).reason }
  await commit(x, marker)
  // The page left while the mark was written (signOut()'s redirect): its write was aborted and the
  // mark put in localStorage, no call made; the next page (or this one, back from the back/forward
  // cache) finishes the sign-out.
  if (!settled(x.page.phase())) return
  const first = deliver(w.target, actions.slice(0, 1), x.report, x.debug)
  if (first.thrown.length) return commit(x, w.old) // not handed: the next state or page sends it again
  // Delivered, or kept by analytics-next when signOut()'s redirect cuts this page off (it sends that
  // from the next page): recorded at once, so a page that takes over does not send it again.
  const session = sessionKey(marker)
  const { messageId } = (actions[0] as Extract<Action, ['track', ...unknown[]]>)[3]
  const onHide = () => keptOnLeaving(messageId) && x.record.delivered(session)
  addEventListener('pagehide', onHide)
  if (await deliveredWithin(first.results[0], SIGN_OUT_WAIT_MS)) {
    x.record.delivered(session)
    removeEventListener('pagehide', onHide)
  }
  if (x.state().name === 'closed') return // disconnected meanwhile: the next bridge finishes it
  // Without Web Locks another page may have finished this sign-out meanwhile (and moved on):
  // then plan again from what is there now, rather than reset what that page has since sent.
  const after = await x.record.read()
  if (after.o !== marker.o || sessionKey(after) !== sessionKey(marker)) return true
  // Okta moved on meanwhile: end the session, and plan the rest again
  const rest = actions.slice(1, version === x.okta.version() ? undefined : 2)
  return finish(x, w, rest.length === 1 ? { ...w.plan, record: endedRecord(w.old.n) } : w.plan, rest)
}

/** Makes the calls, moves the page's state on, and writes the record: only what went. */
const finish = async (x: Parts, w: Done, done: Plan, made: readonly Action[]) => {
  const failed = deliver(w.target, made, x.report, x.debug).thrown
  // a reset that threw is retried: at start-up too, and for the user this page knew
  if (!failed.some((a) => a[0] === 'reset'))
    x.dispatch({
      type: 'acted',
      holding: done === w.plan ? w.session : null,
      reset: made.some((a) => a[0] === 'reset'),
    })
  const next = recordAfter(done, w.old, failed, x.events)
  // the anonymousId analytics has after the identify: its storage lagging in another tab is not a reset
  const anonymousId = about(w.target).anonymousId
  if (next.i && !next.n && anonymousId) next.n = hash(anonymousId)
  if (JSON.stringify(next) !== JSON.stringify(w.old)) await commit(x, next) // nothing new: no write
}
