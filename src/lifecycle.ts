import { hash } from './hash'
import type { Desired } from './identity'
import type { Traits } from './types'

/** The persisted proof of what was sent: hashes only (user, identity, authentication). */
export interface SentRecord {
  u?: string
  i?: string
  a?: string
}

export type Action =
  | { call: 'track'; event: string; /** one per authentication, so Segment drops repeats */ messageId: string }
  | { call: 'reset' }
  | { call: 'identify'; userId: string; traits: Traits }
  | { call: 'group'; groupId: string }

export interface Plan {
  actions: Action[]
  record: SentRecord
  why: string[]
}

export interface EventNames {
  signedIn: string | false
  signedOut: string | false
}

/** What the bridge knows of analytics and of its own past in this page. */
export interface Seen {
  /** The user analytics holds now: `null` for none, `undefined` when it cannot tell. */
  held: string | null | undefined
  /** No state has been acted on yet in this page. */
  startup: boolean
  /** Hash of the last user this page's bridge saw signed in. */
  last?: string
  /** `user/auth` hashes of a session whose Signed Out another tab announced it was sending. */
  ended?: string
}

/**
 * Pure: what to call so that analytics matches `desired`, given the record of what this browser
 * already sent (from any tab) and what analytics holds now.
 */
export const plan = (desired: Desired, record: SentRecord, { held, startup, last, ended }: Seen, events: EventNames): Plan => {
  const actions: Action[] = []
  const why: string[] = []
  const signOut = (reason: string, track: boolean) => {
    if (track && events.signedOut) actions.push({ call: 'track', event: events.signedOut, messageId: `okta-segment-out-${record.a ?? record.u}` })
    actions.push({ call: 'reset' })
    why.push(`reset: ${reason}`)
    record = {}
  }
  if (desired.kind === 'unknown') return { actions, record, why }
  if (desired.kind === 'anonymous') {
    // another tab is sending this Signed Out (its record write may not be visible here yet)
    if (record.u) signOut('signed out', `${record.u}/${record.a}` !== ended)
    // Another tab sent Signed Out and reset, but this page's analytics still holds the user in memory;
    // or, at start-up, analytics holds a user Okta does not (signed out while the page was closed).
    else if (held && (startup || hash(held) === last)) signOut('analytics held a user that Okta does not', false)
    return { actions, record, why }
  }
  if (record.u && record.u !== desired.user) {
    // A record left stale (storage threw) while analytics already holds this user: nothing to end,
    // and nothing known of what was sent for it, so identify and Signed In go again.
    if (held === desired.userId) record = {}
    // Signed Out only where it would be attributed to the user who left.
    else signOut('user switched', held === undefined || (!!held && hash(held) === record.u))
  } else if (held && hash(held) !== desired.user) signOut('analytics held another user', false)
  if (record.i !== desired.identity || (held !== undefined && held !== desired.userId)) {
    actions.push({ call: 'identify', userId: desired.userId, traits: desired.traits })
    for (const groupId of desired.groups) actions.push({ call: 'group', groupId })
    why.push('identify: user or traits changed')
  } else why.push('identify skipped: duplicate')
  if (record.a !== desired.auth) {
    if (events.signedIn) actions.push({ call: 'track', event: events.signedIn, messageId: `okta-segment-in-${desired.auth}` })
    why.push('signed in: new authentication')
  }
  return { actions, record: { u: desired.user, i: desired.identity, a: desired.auth }, why }
}

/** Pure: the record to keep when some calls threw, so that exactly those are retried next time. */
export const keep = (p: Plan, old: SentRecord, failed: Action[], events: EventNames): SentRecord => {
  let record = p.record
  for (const a of failed) {
    if (a.call === 'reset') return old
    if (a.call === 'identify' || a.call === 'group') record = { ...record, i: undefined }
    if (a.call === 'track' && a.event === events.signedIn) record = { ...record, a: undefined }
  }
  return record
}
