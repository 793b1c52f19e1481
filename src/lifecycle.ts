import { hash } from './hash'
import type { Desired } from './identity'
import type { Traits } from './types'

/** Why a session ended: the `reason` property of `Signed Out`. */
export type SignOutReason = 'signed_out' | 'expired' | 'other_tab' | 'user_switch' | 'closed_while_away'

/**
 * The persisted proof of what was sent, shared by every tab: hashes only (user, identity,
 * authentication), and `o` while a `Signed Out` has been handed to analytics but the reset that
 * follows it has not happened yet (its reason, so that a page finishing it sends the same event).
 */
export interface SentRecord {
  u?: string
  i?: string
  a?: string
  o?: SignOutReason
}

export type Action =
  | { call: 'track'; event: string; messageId: string; properties: { reason?: SignOutReason; username?: string } }
  | { call: 'reset' }
  | { call: 'identify'; userId: string; traits: Traits; messageId: string }
  | { call: 'group'; groupId: string; messageId: string }

export interface Plan {
  actions: Action[]
  record: SentRecord
  why: string[]
  /** Nothing decided: another page is finishing a sign-out (this page acts once it is done). */
  waiting?: boolean
}

export interface EventNames {
  signedIn: string | false
  signedOut: string | false
}

/** What the bridge knows of analytics, of the other tabs and of its own past in this page. */
export interface Seen {
  /** The user analytics holds now: `null` for none, `undefined` when it cannot tell. */
  held: string | null | undefined
  /** analytics' anonymousId: a reset makes a new one, and with it a new identify messageId. */
  anonymousId?: string
  /** No state has been acted on yet in this page. */
  startup: boolean
  /** Hash of the last user this page's bridge saw signed in. */
  last?: string
  /** This page saw a session signed in and its analytics has not been reset since: it still has
   * that session's anonymousId, even where it never held the user (another tab identified them). */
  unreset?: boolean
  /** `sessionKey` of a session whose `Signed Out` another tab announced as delivered. */
  ended?: string
  /** The Segment source (write key): every messageId is salted with it. */
  source: string
  /** Why the session ends if it ends now (see `signOutReason`). */
  reason: SignOutReason
  /** This page may finish a sign-out another page began (it holds the tabs' lock, or starts up). */
  takeOver: boolean
}

/** Pure: another page has handed this session's Signed Out to analytics and may still finish it. */
export const waits = (record: SentRecord, takeOver: boolean): boolean => !!record.o && !takeOver

/** One session, named the same in every tab: `user/authentication` hashes. */
export const sessionKey = (r: SentRecord): string => `${r.u}/${r.a}`

/**
 * Pure: what to call so that analytics matches `desired`, given the record of what this browser
 * already sent (from any tab) and what analytics holds now.
 */
export const plan = (desired: Desired, record: SentRecord, seen: Seen, events: EventNames): Plan => {
  const actions: Action[] = []
  const why: string[] = []
  const { source } = seen
  let { held } = seen
  // Readable ids never appear in a messageId: a hash of the source and the session.
  const id = (kind: string, ...of: unknown[]) => `okta-segment-${kind}-${hash([source, ...of].join('|'))}`
  const end = (reason: SignOutReason | undefined, note: string | false) => {
    if (reason && events.signedOut)
      actions.push({
        call: 'track',
        event: events.signedOut,
        messageId: id('out', record.a ?? record.u),
        properties: { reason },
      })
    actions.push({ call: 'reset' })
    held = null
    if (__DEV__)
      why.push(reason && events.signedOut ? `${events.signedOut} (${reason}), then reset: ${note}` : `reset: ${note}`)
    record = {}
  }
  const result = () => ({ actions, record, why })
  if (desired.kind === 'unknown') return result()
  if (record.o) {
    // Another page handed this Signed Out to analytics and has not reset yet.
    if (waits(record, seen.takeOver))
      return { actions, record, why: __DEV__ ? ['waiting: another tab is finishing its sign-out'] : [], waiting: true }
    const same = desired.kind === 'user' && desired.user === record.u && desired.auth === record.a
    if (same) record = { ...record, o: undefined }
    // That page is gone (this one holds the lock it held, or starts after it): finish its sign-out.
    else if (held === null) {
      record = {}
      if (__DEV__) why.push('the sign-out another page began is complete')
    } else
      end(
        sessionKey(record) === seen.ended ? undefined : record.o,
        __DEV__ && 'finishing a sign-out another page began',
      )
  }
  if (desired.kind === 'anonymous') {
    if (record.u)
      end(
        sessionKey(record) === seen.ended ? undefined : seen.reason,
        __DEV__ && (sessionKey(record) === seen.ended ? 'another tab sent Signed Out' : 'signed out'),
      )
    // Another tab sent Signed Out and reset, but this page's analytics still holds the user in memory;
    // or, at start-up, analytics holds a user Okta does not (hand-written glue before).
    else if ((held && (seen.startup || hash(held) === seen.last)) || (held === null && seen.unreset))
      end(undefined, __DEV__ && 'analytics held a user, or their anonymousId, that Okta does not')
    return result()
  }
  if (record.u && record.u !== desired.user) {
    // A record left stale (storage threw) while analytics already holds this user: nothing to end,
    // and nothing known of what was sent for it, so identify and Signed In go again.
    if (held === desired.userId) record = {}
    // Signed Out only where it would be attributed to the user who left.
    else
      end(
        held === undefined || (!!held && hash(held) === record.u) ? 'user_switch' : undefined,
        __DEV__ && 'user switched',
      )
  } else if (held && hash(held) !== desired.user) {
    // The record is this user's (another page already began their session): its Signed In
    // stands; analytics forgets the other user, and the identify goes again after the reset.
    const { u, a } = record
    end(undefined, __DEV__ && 'analytics held another user')
    record = { u, a }
  }
  if (record.i !== desired.identity || (held !== undefined && held !== desired.userId)) {
    // Two tabs sending the same identify send one messageId; after a reset (a new anonymousId) it is new.
    const messageId = id('id', desired.identity, desired.auth, seen.anonymousId)
    actions.push({ call: 'identify', userId: desired.userId, traits: desired.traits, messageId })
    for (const groupId of desired.groups)
      actions.push({ call: 'group', groupId, messageId: id('group', desired.auth, groupId) })
    if (__DEV__) why.push('identify: user or traits changed')
  } else if (__DEV__) why.push('identify skipped: already sent')
  if (record.a !== desired.auth) {
    if (events.signedIn)
      actions.push({ call: 'track', event: events.signedIn, messageId: id('in', desired.auth), properties: {} })
    if (__DEV__) why.push(events.signedIn ? `${events.signedIn}: new authentication` : 'new authentication')
  }
  return { actions, record: { u: desired.user, i: desired.identity, a: desired.auth }, why }
}

/** Pure: the record to keep when some calls threw, so that exactly those are retried next time. */
export const recordAfter = (p: Plan, old: SentRecord, failed: Action[], events: EventNames): SentRecord => {
  let record = p.record
  for (const a of failed) {
    if (a.call === 'reset') return { u: old.u, i: old.i, a: old.a } // the sign-out is retried whole
    if (a.call === 'identify' || a.call === 'group') record = { ...record, i: undefined }
    if (a.call === 'track' && a.event === events.signedIn) record = { ...record, a: undefined }
  }
  return record
}
