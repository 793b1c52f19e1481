// Pure readers of a System Log event: whom it is about, whether it counts, what changed. Events come
// from the network: every field is checked before it is used.
import { SESSION_END_TYPES } from './message-id'
import type { OktaEntity, OktaLogEvent } from './types'

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v)

const isEntity = (v: unknown): v is OktaEntity =>
  isObject(v) && typeof v.id === 'string' && v.id.length > 0 && v.id.length <= 256 && typeof v.type === 'string'

/** Why `v` is not a well-formed event (a `uuid`, an `eventType`, a `published` time that parses), if it is not. */
export const malformed = (v: unknown): string | undefined => {
  if (!isObject(v)) return 'not an object'
  if (typeof v.uuid !== 'string' || !v.uuid) return 'no uuid'
  if (typeof v.eventType !== 'string' || !v.eventType) return 'no eventType'
  if (typeof v.published !== 'string' || Number.isNaN(Date.parse(v.published))) return 'published is not a time'
  return undefined
}

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
  const raw: unknown = event.debugContext?.debugData?.changedAttributes
  const list = typeof raw === 'string' ? raw.split(',') : Array.isArray(raw) ? (raw as unknown[]) : undefined
  if (!list) return undefined
  const names = list.filter((a): a is string => typeof a === 'string').map((a) => a.trim())
  return [...new Set(names)].filter((a) => /^[A-Za-z_]\w{0,99}$/.test(a))
}

/**
 * Why no user can be told for an event (`undefined` when one can): the target types it has instead, or
 * how many User targets (which one is meant is not ours to guess). Names no one: only types.
 */
export const whyNoUser = (event: OktaLogEvent): string | undefined => {
  if (userOf(event)) return undefined
  const users = targetsOf(event, 'User').length
  if (users > 1) return `${users} User targets: which one is meant is not told`
  const types = (Array.isArray(event.target) ? event.target : []).map((t) =>
    isEntity(t) ? t.type.slice(0, 50) : 'malformed',
  )
  const actor =
    SESSION_END_TYPES.has(event.eventType) && isObject(event.actor)
      ? `; actor ${String(event.actor.type).slice(0, 50)}`
      : ''
  return `no User target (${types.length ? `targets: ${[...new Set(types)].join(', ')}` : 'no targets'}${actor})`
}
