import { check, isFn } from '../dev/validate'
import { cleanValue, ownValue } from '../core/traits'
import type { Claims, GroupsOption, Plugin } from '../types'

// Development build: the options checked where they are given, with what to write instead.
const validate = ({ allow, from, send }: Partial<GroupsOption> = {}) => {
  check(
    Array.isArray(allow) ? allow.every((g) => typeof g === 'string') : allow instanceof RegExp,
    'groups',
    `.allow must list the group names that may leave, or match them: { allow: ['Admins'] } or { allow: /^app-/ }`,
  )
  check(
    from === undefined || isFn(from) || (typeof from === 'string' && from),
    'groups',
    `.from must be a claim name or a function of the claims`,
  )
  check(send === undefined || send === 'trait' || send === 'group', 'groups', `.send must be 'trait' or 'group'`)
}

/** Pure: the allowed groups in the claims, sorted, each once. */
export const groupsOf = (claims: Claims, { allow, from = 'groups' }: GroupsOption): string[] => {
  let raw = typeof from === 'function' ? from(claims) : ownValue(claims, from)
  if (typeof raw === 'string') raw = [raw]
  if (!Array.isArray(raw)) return []
  const ok = (g: unknown): g is string =>
    typeof g === 'string' &&
    cleanValue(g) !== undefined &&
    (Array.isArray(allow) ? allow.includes(g) : (allow as RegExp).test(g))
  return [...new Set(raw.filter(ok))].sort()
}

/**
 * Sends the user's groups, kept to an allowlist: as a `groups` trait on identify (default), or as
 * one `group()` call per group (`send: 'group'`), deduplicated like identify. Nothing else leaves.
 * @example
 * connect({ auth, analytics, plugins: [groups({ allow: ['Admins', 'Beta'] })] })
 */
/* @__NO_SIDE_EFFECTS__ */
export function groups(options: GroupsOption): Plugin {
  if (__DEV__) validate(options)
  return Object.assign(
    () => ({
      groups(claims: Claims, traits: Record<string, unknown>) {
        const list = groupsOf(claims, options)
        if (options.send === 'group') return list
        traits.groups = list
        return []
      },
    }),
    { kind: 'groups' as const },
  )
}
