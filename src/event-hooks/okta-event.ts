// Pure readers of a System Log event: whom it is about, whether it counts, what changed. Events come
// from the network: every field is checked before it is used.
import { SESSION_END_TYPES } from './message-id'
import type { OktaEntity, OktaLogEvent } from './types'

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v)

const isEntity = (v: unknown): v is OktaEntity =>
  isObject(v) && typeof v.id === 'string' && v.id.length > 0 && v.id.length <= 256 && typeof v.type === 'string'

/** A well-formed event: a `uuid`, an `eventType` and a `published` time that parses. */
export const isLogEvent = (v: unknown): v is OktaLogEvent =>
  isObject(v) &&
  typeof v.uuid === 'string' &&
  v.uuid.length > 0 &&
  typeof v.eventType === 'string' &&
  typeof v.published === 'string' &&
  !Number.isNaN(Date.parse(v.published))

/** A delivery from the admin console's Preview tab made from sample data: no actor and no target. */
export const isPreview = (event: OktaLogEvent): boolean =>
  event.actor == null && (event.target == null || (Array.isArray(event.target) && event.target.length === 0))

/** Only what happened counts: `outcome.result` is `SUCCESS`. */
export const succeeded = (event: OktaLogEvent): boolean => event.outcome?.result === 'SUCCESS'

/** The targets of one type (exact: an `AppUser` is not a `User`). */
export const targetsOf = (event: OktaLogEvent, type: string): OktaEntity[] =>
  (Array.isArray(event.target) ? event.target : []).filter((t): t is OktaEntity => isEntity(t) && t.type === type)

/**
 * The Okta user an event is about: its `User` target (never an `AppUser`, never `target[0]` blindly).
 * Session events may carry the user only as the actor; for them a `User` actor is the user.
 */
export const userOf = (event: OktaLogEvent): OktaEntity | undefined => {
  const users = targetsOf(event, 'User')
  if (users.length === 1) return users[0]
  if (users.length > 1) return undefined // ambiguous: which one is meant is not ours to guess
  const actor = event.actor
  return SESSION_END_TYPES.has(event.eventType) && isEntity(actor) && actor.type === 'User' ? actor : undefined
}

/**
 * The profile attributes a `user.account.update_profile` changed (`debugData.changedAttributes`, a
 * comma-separated string), or `undefined` when the event does not say.
 */
export const changedAttributes = (event: OktaLogEvent): string[] | undefined => {
  const raw = event.debugContext?.debugData?.changedAttributes
  const list = typeof raw === 'string' ? raw.split(',') : Array.isArray(raw) ? (raw as unknown[]) : undefined
  if (!list) return undefined
  const names = list.filter((a): a is string => typeof a === 'string').map((a) => a.trim())
  return [...new Set(names)].filter((a) => /^[A-Za-z_]\w{0,99}$/.test(a))
}
