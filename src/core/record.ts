/** Why a session ended: the `reason` property of `Signed Out`. */
export type SignOutReason = 'signed_out' | 'expired' | 'user_switch' | 'closed_while_away'

/**
 * The persisted proof of what was sent, shared by every tab: hashes only. `u` the user, `i` the
 * identity of the last identify, `n` the anonymousId analytics had then, `a` the authentication
 * whose `Signed In` went; `o` while a `Signed Out` has been handed to analytics but the reset that
 * follows it has not happened yet (its reason, so that a page finishing it sends the same event);
 * `x` the anonymousId of the last session that ended: analytics holding it again (a copy of its
 * storage that lagged the reset, read back by analytics-next) is reset again.
 */
export interface SentRecord {
  u?: string
  i?: string
  n?: string
  a?: string
  o?: SignOutReason
  x?: string
}

const REASONS: readonly unknown[] = ['signed_out', 'expired', 'user_switch', 'closed_while_away']

/** Pure: a record as stored (an object, or the JSON of one) -> a record of strings; anything else is empty. */
export const parse = (raw: unknown): SentRecord => {
  const out: Record<string, string> = {}
  try {
    const r = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Record<string, unknown>
    for (const k of 'uinaox')
      if (typeof r[k] === 'string' && (k !== 'o' || REASONS.includes(r[k]))) out[k] = r[k] as string
  } catch {
    // a corrupt record only costs one identify
  }
  return out
}

/** Pure: the record says something (a session, or the anonymousId of one that ended): it is stored. */
export const kept = (r: SentRecord): boolean => !!(r.u || r.x)

/** Pure: the record once a session ended: only that session's anonymousId hash (`x`), if known. */
export const endedRecord = (x: string | undefined): SentRecord => (x ? { x } : {})

/** One session, named the same in every tab: `user/authentication` hashes. */
export const sessionKey = (r: SentRecord): string => `${r.u}/${r.a}`

/**
 * Pure: a record this page kept in memory while storage threw, merged into what storage holds now.
 * A field this page could not vouch for (its call threw, or it never read storage) is taken from
 * the stored record of the same user: what another page sent stays sent. `o` (a sign-out under
 * way) is never taken: it belongs to the page that wrote it. `known`: this page read the record.
 */
export const fill = (kept: SentRecord, stored: SentRecord, known: boolean): SentRecord =>
  kept.u && kept.u === stored.u
    ? { u: kept.u, i: kept.i ?? stored.i, n: kept.i ? kept.n : stored.n, a: kept.a ?? stored.a, o: kept.o }
    : // A page that never read the record cannot have ended a session it held: its empty record says nothing.
      !kept.u && !known
      ? stored
      : kept
