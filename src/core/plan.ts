import { hash } from './hash'
import type { Desired } from './desired'
import { endedRecord, sessionKey, type SentRecord, type SignOutReason } from './record'
import type { Traits } from '../types'

/** The options of a call: its messageId. */
export type CallOptions = { messageId: string }

/** A call to analytics, as its method and arguments. */
export type Action =
  | ['track', event: string, properties: { reason?: SignOutReason; username?: string }, options: CallOptions]
  | ['reset']
  | ['identify', userId: string, traits: Traits, options: CallOptions]
  | ['group', groupId: string, traits: Traits, options: CallOptions]

export interface Plan {
  actions: Action[]
  record: SentRecord
  /** Why, one line per decision (development build only). */
  why: string[]
}

export interface EventNames {
  signedIn: string | false
  signedOut: string | false
}

/** What the bridge knows, at the moment of deciding, of analytics and of this page's past. */
export interface Seen {
  /** The user analytics holds now: `null` for none, `undefined` when it cannot tell. */
  held: string | null | undefined
  /** analytics' anonymousId: a reset makes a new one, and with it a new identify messageId. */
  anonymousId?: string
  /** No state has been acted on yet in this page. */
  startup: boolean
  /** Hash of the last user Okta showed this page signed in. */
  last?: string
  /** This page saw a session signed in and its analytics has not been reset since: it still has
   * that session's anonymousId, even where it never held the user (another tab identified them). */
  unreset?: boolean
  /** The Segment source (write key): every messageId is salted with it. */
  source: string
  /** `sessionKey` of the last session whose Signed Out a page saw delivered (see io/record.ts). */
  delivered?: string
  /** Why the session ends if it ends now (see `signOutReason`). */
  reason: SignOutReason
  /** This page may finish a sign-out another page began (it holds the tabs' lock, or starts up). */
  takeOver: boolean
}

/** Pure: another page has handed this session's Signed Out to analytics and may still finish it. */
export const waits = (record: SentRecord, takeOver: boolean): boolean => !!record.o && !takeOver

/** How long a live tab leaves a sign-out another page marked, unless it sees the note that its
 * Signed Out was delivered or kept: as long as the marking page waits for the delivery. */
export const TAKE_OVER_AFTER_MS = 2000

/**
 * Pure: how much longer a live tab that holds the lock leaves a sign-out another page marked (its
 * `Signed Out` handed to analytics), `undefined`: take it over now. The marking page notes on
 * `pagehide` that analytics-next kept the event (`okta-segment:out`, in localStorage), and another
 * process may read that note late (Firefox); a page that starts up reads it, a live tab gives it
 * `TAKE_OVER_AFTER_MS` from when it first found the mark. Not seen then: the event was lost, and the
 * live tab sends it again.
 */
export const takeOverDelay = (startup: boolean, noted: boolean, since: number, now: number): number | undefined =>
  startup || noted || now - since >= TAKE_OVER_AFTER_MS ? undefined : TAKE_OVER_AFTER_MS - (now - since)

/** A plan being made: the calls so far, the record they leave, what analytics then holds. */
interface Draft extends Plan {
  held: Seen['held']
  unreset: Seen['unreset']
}
type User = Extract<Desired, { kind: 'user' }>

/** Readable ids never appear in a messageId: a hash of the source and the session. */
const id = (seen: Seen, kind: string, ...of: unknown[]) => ({
  messageId: `okta-segment-${kind}-${hash([seen.source, ...of].join('|'))}`,
})

/** Ends the session the record holds: its Signed Out (with a reason), then the reset; the record
 * keeps that session's anonymousId (`x`). */
const end = (d: Draft, seen: Seen, events: EventNames, reason: SignOutReason | undefined, note: string | false) => {
  const x = d.record.n ?? d.record.x ?? (seen.anonymousId && hash(seen.anonymousId))
  if (reason && events.signedOut)
    d.actions.push(['track', events.signedOut, { reason }, id(seen, 'out', d.record.a ?? d.record.u)])
  d.actions.push(['reset'])
  d.held = null
  d.unreset = false // one reset per plan: a page finishing another's sign-out is then clear
  if (__DEV__)
    d.why.push(reason && events.signedOut ? `${events.signedOut} (${reason}), then reset: ${note}` : `reset: ${note}`)
  d.record = endedRecord(x)
}

/** Another page handed this session's Signed Out to analytics and has not reset yet; this page takes over. */
const takeOverSignOut = (d: Draft, desired: Desired, seen: Seen, events: EventNames) => {
  const { record } = d
  if (desired.kind === 'user' && desired.user === record.u && desired.auth === record.a)
    d.record = { ...record, o: undefined }
  // That page is gone (this one holds the lock it held, or starts after it): finish its sign-out.
  // Its Signed Out again (the same messageId), unless that page saw it delivered: it was cut off
  // before it could tell (signOut() redirects), and a Signed Out lost is worse than one repeated.
  else if (d.held === null) {
    d.record = endedRecord(record.n)
    if (__DEV__) d.why.push('the sign-out another page began is complete')
  } else
    end(
      d,
      seen,
      events,
      seen.delivered === sessionKey(record) ? undefined : record.o,
      __DEV__ && 'finishing a sign-out another page began',
    )
}

/** Okta shows nobody: end the session the record holds, or what this page's analytics still holds. */
const signedOut = (d: Draft, seen: Seen, events: EventNames) => {
  const { held, unreset } = d
  if (d.record.u) end(d, seen, events, seen.reason, __DEV__ && 'signed out')
  // Another tab sent Signed Out and reset, but this page's analytics still holds a user of the
  // session in memory, or the session's anonymousId (it has not reset since); or, at start-up,
  // analytics holds a user Okta does not (hand-written glue before).
  else if ((unreset && held !== undefined) || (held && (seen.startup || hash(held) === seen.last)))
    end(d, seen, events, undefined, __DEV__ && 'analytics held a user, or their anonymousId, that Okta does not')
  // A reset undone: another copy of analytics' storage (a new document's cookies in Firefox) still
  // had the ended session's anonymousId, and analytics-next wrote it back for every tab.
  else if (d.record.x && seen.anonymousId && hash(seen.anonymousId) === d.record.x)
    end(d, seen, events, undefined, __DEV__ && 'analytics holds the anonymousId of a session that ended')
}

/** Okta shows `desired`: end another user's session first, where the record or analytics holds one. */
const endOthers = (d: Draft, desired: User, seen: Seen, events: EventNames) => {
  const { record, held } = d
  if (record.u && record.u !== desired.user) {
    // A record left stale (storage threw) while analytics already holds this user: nothing to end,
    // and nothing known of what was sent for it, so identify and Signed In go again.
    if (held === desired.userId) d.record = {}
    // Signed Out only where it would be attributed to the user who left.
    else
      end(
        d,
        seen,
        events,
        held === undefined || (!!held && hash(held) === record.u) ? 'user_switch' : undefined,
        __DEV__ && 'user switched',
      )
  } else if (held && hash(held) !== desired.user) {
    // The record is this user's (another page already began their session): its Signed In
    // stands; analytics forgets the other user, and the identify goes again after the reset.
    const { u, a } = record
    end(d, seen, events, undefined, __DEV__ && 'analytics held another user')
    d.record = { u, a }
  }
}

/** Okta shows `desired`: its identify (and groups) unless sent, its Signed In unless sent. */
const signedIn = (d: Draft, desired: User, seen: Seen, events: EventNames): Plan => {
  const { actions, why, record, held } = d
  const { anonymousId } = seen
  // analytics holding nobody while the record says identified: the app reset it (a new
  // anonymousId), or this tab's copy of analytics' storage lags behind another process (the same
  // anonymousId as at the identify): only the first is identified again.
  const anon = anonymousId && hash(anonymousId)
  const lost = held === null && anon !== record.n
  let n = record.n
  if (record.i !== desired.identity || lost || (held && held !== desired.userId)) {
    // Two tabs sending the same identify send one messageId; after a reset (a new anonymousId) it is new.
    const messageId = id(seen, 'id', desired.identity, desired.auth, anonymousId)
    actions.push(['identify', desired.userId, desired.traits, messageId])
    for (const groupId of desired.groups) actions.push(['group', groupId, {}, id(seen, 'group', desired.auth, groupId)])
    n = undefined // the anonymousId analytics has once the calls are made: the caller fills it in
    if (__DEV__) why.push('identify: user or traits changed')
  } else if (__DEV__) why.push('identify skipped: already sent')
  if (record.a !== desired.auth) {
    if (events.signedIn) actions.push(['track', events.signedIn, {}, id(seen, 'in', desired.auth)])
    if (__DEV__) why.push(events.signedIn ? `${events.signedIn}: new authentication` : 'new authentication')
  }
  return { actions, record: { u: desired.user, i: desired.identity, n, a: desired.auth }, why }
}

/**
 * Pure: what to call so that analytics matches `desired`, given the record of what this browser
 * already sent (from any tab) and what analytics holds now. The caller checks `waits` first.
 */
export const plan = (desired: Desired, record: SentRecord, seen: Seen, events: EventNames): Plan => {
  const d: Draft = { actions: [], why: [], record, held: seen.held, unreset: seen.unreset }
  const result = (): Plan => ({ actions: d.actions, record: d.record, why: d.why })
  if (desired.kind === 'unknown') return result()
  if (record.o) takeOverSignOut(d, desired, seen, events)
  if (desired.kind === 'anonymous') return (signedOut(d, seen, events), result())
  endOthers(d, desired, seen, events)
  return signedIn(d, desired, seen, events)
}

/** Pure: the record to keep when some calls threw, so that exactly those are retried next time. */
export const recordAfter = (p: Plan, old: SentRecord, failed: readonly Action[], events: EventNames): SentRecord => {
  let record = p.record
  for (const [call, event] of failed) {
    if (call === 'reset') return { u: old.u, i: old.i, n: old.n, a: old.a } // the sign-out is retried whole
    if (call === 'identify' || call === 'group') record = { ...record, i: undefined }
    if (event === events.signedIn) record = { ...record, a: undefined }
  }
  return record
}
