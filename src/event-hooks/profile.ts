// user.account.update_profile -> identify traits. The event names the changed attributes, not their
// values: with the Okta API configured the values are read now (so a late event never writes an
// older value over a newer one), otherwise the identify says only when the profile changed.
// Attributes leave only through the trait map (Segment's reserved traits by default), nested ones
// as nested objects (`address.postalCode`), credentials never.
import { OKTA_PROFILE_TRAITS, OKTA_SECRET_ATTRIBUTES, setPath, traitFor } from '../okta-profile'
import { cleanValue } from '../core/traits'
import { changedAttributes } from './okta-event'
import type { OktaLogEvent } from './types'

/** Okta attribute -> Segment trait path; only attributes listed here leave. */
export type TraitMap = Readonly<Record<string, string>>

/** The reserved traits, with `overrides` (`true`: the attribute's default trait, a path, `false`: never). */
export const traitMap = (overrides: Readonly<Record<string, string | boolean>> = {}): TraitMap => {
  const map: Record<string, string> = { ...OKTA_PROFILE_TRAITS }
  for (const [attribute, to] of Object.entries(overrides)) {
    if (to === false) delete map[attribute]
    else map[attribute] = to === true ? traitFor(attribute) : to
  }
  for (const secret of OKTA_SECRET_ATTRIBUTES) delete map[secret]
  return map
}

// A value fit to leave: a cleared attribute (null) clears the trait; a token-shaped or huge one never leaves.
const valueOf = (v: unknown): unknown => (v === null || v === undefined ? null : cleanValue(v))

/**
 * The traits of a profile update, or `undefined` when nothing mapped changed. `read()` gives the
 * current profile; `undefined` from it (no API, or the API refused) sends `profileUpdatedAt` only.
 * An event that does not list its changed attributes is read as changing every mapped one.
 */
export async function profileTraits(
  event: OktaLogEvent,
  map: TraitMap,
  read: () => Promise<Record<string, unknown> | undefined>,
): Promise<Record<string, unknown> | undefined> {
  const stated = changedAttributes(event)
  const changed = stated ? stated.filter((a) => Object.prototype.hasOwnProperty.call(map, a)) : Object.keys(map)
  if (!changed.length) return undefined
  const profile = await read()
  if (!profile) return { profileUpdatedAt: event.published }
  const traits: Record<string, unknown> = {}
  for (const attribute of changed) {
    const has = Object.prototype.hasOwnProperty.call(profile, attribute)
    if (!has && !stated) continue // not said to have changed, and not there: nothing to clear
    const value = valueOf(has ? profile[attribute] : null)
    if (value !== undefined) setPath(traits, map[attribute]!, value)
  }
  return Object.keys(traits).length ? traits : undefined
}
