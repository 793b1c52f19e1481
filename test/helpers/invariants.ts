/**
 * The invariants of the model-based tests, checked over every call the bridges of all pages made
 * to analytics, in order, each annotated with what analytics held and what that page's Okta had
 * last emitted at the moment of the call.
 */
import { findSecrets } from './jwt'
import type { Call } from './fake-analytics'
import type { User } from './model'

export interface Observed {
  user: User
  auth: unknown
}

export interface LoggedCall extends Call {
  /** What this page's Okta had last emitted: the user signed in, or null. */
  okta: Observed | null
}

export interface Verdict {
  violations: string[]
  /** Users whose session was identified (on that page) and not ended by a `Signed Out`. */
  open: Map<string, number>
  lenient(first: number | undefined, page: number): boolean
  /** `${user id}@${auth_time}` of every delivered `Signed In`. */
  signedIn: Map<string, number>
}

const SIGNED_IN = 'Signed In'
const SIGNED_OUT = 'Signed Out'

/**
 * Checks the log; `subOf` maps a model user to its user id. `degraded` lists the pages that lived
 * while the bridge's storage threw: such a page keeps its record in memory (as designed), so a
 * `Signed In`, `Signed Out` or reset that repeats or misses what a *different* page did is
 * tolerated when either page is degraded; within one page, and between healthy pages, never.
 */
export function check(
  log: LoggedCall[],
  subOf: (u: User) => string,
  secrets: string[],
  degraded = new Set<number>(),
): Verdict {
  const violations: string[] = []
  const lenient = (first: number | undefined, page: number) =>
    first !== undefined && first !== page && (degraded.has(first) || degraded.has(page))
  const open = new Map<string, number>() // user id -> page that identified them in the current session
  const closed = new Map<string, number>() // user id -> page that sent their last Signed Out
  const signedIn = new Map<string, number>()
  const live = new Map<string, number>() // authentication -> page that sent its Signed In this session
  // page -> the user of the delivered Signed Out that was that page's last call. Its next call is
  // the reset, unless analytics no longer holds that user (without Web Locks another page that was
  // finishing the same sign-out reset it and moved on: this page then plans again and must not reset).
  const pendingReset = new Map<number, string | null>()
  const attempted = new Set<string>() // users whose identify threw since their last Signed Out
  // messageId -> page of a delivered `Signed Out` whose page has not yet made its reset(): a page
  // closed (reloaded) mid-sign-out leaves it to the next page, which sends it again with the same
  // messageId (at least once; Segment keeps one per messageId).
  const unfinished = new Map<string, number>()
  const ended = new Set<string>() // messageIds of every delivered Signed Out
  let lastIdentify: { key: string; page: number } | undefined // since the last reset, browser-wide
  const fail = (i: number, what: string) => violations.push(`#${i} ${describe(log[i]!)}: ${what}`)

  const leaks = findSecrets(
    log.map((c) => c.args),
    secrets,
  )
  if (leaks.length) violations.push(`token-shaped or secret values handed to analytics: ${leaks.join(', ')}`)

  log.forEach((c, i) => {
    const oktaId = c.okta ? subOf(c.okta.user) : null
    if (pendingReset.has(c.page) && c.call !== 'reset' && c.held === pendingReset.get(c.page))
      fail(i, '`Signed Out` was not followed at once by reset()')
    pendingReset.delete(c.page)
    if (!c.delivered && c.call === 'identify') attempted.add(c.args[0] as string)
    if (!c.delivered) return
    if (c.call === 'identify') {
      const [id] = c.args as [string]
      if (id !== oktaId) fail(i, `identify for a user Okta does not have signed in (okta: ${oktaId})`)
      if (c.held !== null && c.held !== id) fail(i, 'identify of another user without a reset first')
      const key = JSON.stringify(c.args)
      if (c.held === id && lastIdentify?.key === key && !lenient(lastIdentify.page, c.page))
        fail(i, 'a duplicate identify: same user and traits, and analytics still holds them')
      lastIdentify = { key, page: c.page }
      if (!open.has(id)) open.set(id, c.page)
    }
    if (c.call === 'track' && c.args[0] === SIGNED_IN) {
      if (!oktaId) fail(i, '`Signed In` while Okta has nobody signed in')
      if (c.held !== null && c.held !== oktaId) fail(i, '`Signed In` while analytics holds another user')
      const key = `${oktaId}@${String(c.okta?.auth)}`
      if (live.has(key) && !lenient(live.get(key), c.page))
        fail(i, `a second \`Signed In\` for the authentication ${key}`)
      live.set(key, c.page)
      signedIn.set(key, (signedIn.get(key) ?? 0) + 1)
      // a new authentication opens a session, also where analytics already held the user's identify
      if (oktaId && c.held === oktaId && !open.has(oktaId)) open.set(oktaId, c.page)
    }
    if (c.call === 'track' && c.args[0] === SIGNED_OUT) {
      const messageId = (c.args[2] as { messageId?: string } | undefined)?.messageId ?? ''
      // Where storage threw, a page that kept the record in memory can write it back after another
      // page ended the session: the next page sends that session's Signed Out again, with the same
      // messageId (at least once; Segment keeps one).
      const resent =
        (unfinished.has(messageId) && unfinished.get(messageId) !== c.page) ||
        (degraded.size > 0 && ended.has(messageId))
      unfinished.set(messageId, c.page)
      ended.add(messageId)
      // Anonymous only when the session's identify never went through (analytics threw on it).
      if (resent) {
        // the same event again, from the page that took over an unfinished sign-out
      } else if (c.held === null) {
        if (open.size) fail(i, '`Signed Out` sent anonymously while a session was identified')
      }
      // A session whose identify threw may still be ended: analytics may hold the user from before.
      else if (!open.has(c.held) && !attempted.has(c.held) && !lenient(closed.get(c.held), c.page))
        fail(i, `\`Signed Out\` for ${c.held}, whose session had already ended`)
      // A page finishing the sign-out another page began (same messageId) may find the user signed in
      // again, with a new authentication: it ends the old session before the new one.
      if (!resent && c.held !== null && c.held === oktaId) fail(i, '`Signed Out` for the user Okta still has signed in')
      if (c.held) {
        open.delete(c.held)
        closed.set(c.held, c.page)
        attempted.delete(c.held)
      }
      // The session ended: a later return of the same authentication (a renewal after expiry) may
      // be signed in again. An anonymous Signed Out ends the anonymous session's authentications.
      for (const key of live.keys()) if (key.startsWith(`${c.held ?? ''}@`) || c.held === null) live.delete(key)
      pendingReset.set(c.page, c.held)
    }
    if (c.call === 'reset') {
      lastIdentify = undefined
      for (const [id, page] of unfinished) if (page === c.page) unfinished.delete(id)
    }
    if (c.call === 'reset' && c.held !== null && open.has(c.held)) {
      if (!lenient(open.get(c.held), c.page)) fail(i, `reset() of ${c.held} without \`Signed Out\` first`)
      open.delete(c.held)
      closed.set(c.held, c.page)
    }
  })
  return { violations, open, signedIn, lenient }
}

const describe = (c: LoggedCall) =>
  `page ${c.page} ${c.call}(${c.args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(', ')})` +
  ` held=${c.held} okta=${c.okta ? `${c.okta.user}@${String(c.okta.auth)}` : '-'}${c.delivered ? '' : ' (threw)'}`
