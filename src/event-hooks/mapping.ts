// The default mapping, Okta event type -> Segment calls, as pure functions of the event (and, for
// profiles and group lists, of what the Okta API says now). The README's mapping table is this file.
import { targetsOf } from './okta-event'
import { profileTraits, type TraitMap } from './profile'
import type { HookGroupsOption, Mapper, SegmentCall } from './types'

/** Okta user lifecycle event -> the `status` trait it implies (Okta's user statuses) and the track sent. */
export const LIFECYCLE: Readonly<Record<string, { status: string; track: string }>> = {
  'user.lifecycle.create': { status: 'STAGED', track: 'User Created' },
  'user.lifecycle.activate': { status: 'ACTIVE', track: 'User Activated' },
  'user.lifecycle.reactivate': { status: 'PROVISIONED', track: 'User Reactivated' },
  'user.lifecycle.deactivate': { status: 'DEPROVISIONED', track: 'User Deactivated' },
  'user.lifecycle.suspend': { status: 'SUSPENDED', track: 'User Suspended' },
  'user.lifecycle.unsuspend': { status: 'ACTIVE', track: 'User Unsuspended' },
  'user.lifecycle.delete.initiated': { status: 'DELETED', track: 'User Deleted' },
}

/** Session-ending event -> the `reason` of its `Signed Out` (the browser bridge's event name). */
export const SIGN_OUT_REASONS: Readonly<Record<string, string>> = {
  'user.session.end': 'session_end',
  'user.session.clear': 'session_clear',
  'user.authentication.universal_logout': 'universal_logout',
}

export const PROFILE_UPDATE = 'user.account.update_profile'
export const GROUP_ADD = 'group.user_membership.add'
export const GROUP_REMOVE = 'group.user_membership.remove'

/**
 * The event types a handler takes unless `events` says otherwise; with `groups`, the two group
 * membership types too. `user.session.end` is left out: Okta logs it for the user's own sign-out
 * (which the browser bridge sends already) and once per session.
 * @example
 * createEventHookHandler({ secret, segment: { writeKey }, events: [...DEFAULT_EVENTS, 'user.session.end'] })
 */
export const DEFAULT_EVENTS: readonly string[] = [
  ...Object.keys(LIFECYCLE),
  PROFILE_UPDATE,
  'user.session.clear',
  'user.authentication.universal_logout',
]

const lifecycle =
  (status: string, track: string): Mapper =>
  () => [
    { type: 'identify', traits: { status } },
    { type: 'track', event: track, properties: { status } },
  ]

const signedOut =
  (reason: string): Mapper =>
  () => [{ type: 'track', event: 'Signed Out', properties: { reason } }]

const allowed = (allow: HookGroupsOption['allow'], group: { id: string; displayName?: string | null }): boolean => {
  const name = group.displayName ?? ''
  return Array.isArray(allow) ? allow.includes(name) || allow.includes(group.id) : (allow as RegExp).test(name)
}

// Segment's B2B spec: group() joins the account; the track names the change, with context.groupId.
// A removal sends no group(): that call would tie the user to the group again in destinations.
const membership =
  (groups: HookGroupsOption, added: boolean): Mapper =>
  async (event, { userId, okta }) => {
    const onList = targetsOf(event, 'UserGroup').filter((g) => allowed(groups.allow, g))
    if (!onList.length) return []
    if (groups.send === 'trait') {
      const all = await okta.groups(userId)
      if (!all) return []
      const list = [
        ...new Set(all.filter((g) => allowed(groups.allow, { id: g.id, displayName: g.name })).map((g) => g.name)),
      ]
      list.sort()
      return [{ type: 'identify', traits: { groups: list } }]
    }
    return onList.flatMap((g): SegmentCall[] => {
      const name = g.displayName || g.id
      const groupId = groups.groupId === 'id' ? g.id : name
      const track: SegmentCall = {
        type: 'track',
        event: added ? 'Account Added User' : 'Account Removed User',
        context: { groupId },
      }
      return added ? [{ type: 'group', groupId, traits: { name } }, track] : [track]
    })
  }

const profileUpdate =
  (traits: TraitMap): Mapper =>
  async (event, { userId, okta }) => {
    const computed = await profileTraits(event, traits, () => okta.profile(userId))
    return computed ? [{ type: 'identify', traits: computed }] : []
  }

/** The default mappers for these options: every type above, group memberships only with `groups`. */
export const defaultMappers = (traits: TraitMap, groups?: HookGroupsOption): Record<string, Mapper> => ({
  ...Object.fromEntries(Object.entries(LIFECYCLE).map(([type, { status, track }]) => [type, lifecycle(status, track)])),
  ...Object.fromEntries(Object.entries(SIGN_OUT_REASONS).map(([type, reason]) => [type, signedOut(reason)])),
  [PROFILE_UPDATE]: profileUpdate(traits),
  ...(groups ? { [GROUP_ADD]: membership(groups, true), [GROUP_REMOVE]: membership(groups, false) } : {}),
})
