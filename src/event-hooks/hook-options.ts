// createEventHookHandler()'s options, checked and compiled once: the secrets, the event types taken,
// the mapper per type, and what delivery needs.
import { DEFAULT_EVENTS, defaultMappers, GROUP_ADD, GROUP_REMOVE } from './mapping'
import { sourceKey } from './message-id'
import { observer, type Observe } from './observe'
import { check, checkDelivery, isFn, isRecord, isServiceUrl, isText, onlyKnown } from './options'
import { traitMap } from './profile'
import type { OktaSegmentError } from '../errors'
import type { EventHookOptions, Mapper, OktaApiOption } from './types'

const KNOWN = ['secret', 'header', 'segment', 'analytics', 'events', 'map', 'traits', 'groups', 'okta']
const KNOWN_HOOK = [...KNOWN, 'timeout', 'maxBodyBytes', 'onError', 'onEvent']

/** What the mapping needs (the event hook handler, the log stream handler and `createEventMapper`). */
export interface MappingConfig {
  events: ReadonlySet<string>
  mappers: Readonly<Record<string, Mapper>>
  /** The hash of the write key that every messageId starts from. */
  source: Promise<string>
  okta?: OktaApiOption
  report: (error: OktaSegmentError) => void
  /** Tells `onEvent` what became of each event (nothing without it). */
  observe: Observe
  timeout: number
}

/** The options that decide the mapping and delivery: the hook handler's, without the HTTP ones. */
export type MappingOptions = Omit<EventHookOptions, 'secret' | 'header' | 'maxBodyBytes'>

const HEADER = /^[!#$%&'*+.^_`|~\w-]+$/

/** Checks and compiles the mapping options (shared by every server handler that maps events). */
export function mappingConfig(o: MappingOptions, maxTimeout: number, known = KNOWN_HOOK): MappingConfig {
  check(isRecord(o), 'options', 'must be an object')
  onlyKnown(o as Record<string, unknown>, known)
  const { report, timeout } = checkDelivery(o, maxTimeout)
  const { events, map = {}, traits, groups, okta, onEvent } = o
  check(onEvent === undefined || isFn(onEvent), 'onEvent', 'must be a function (report) => void')
  check(
    isRecord(map) && Object.values(map).every((m) => m === false || isFn(m)),
    'map',
    'must map event types to a function or false',
  )
  check(
    traits === undefined ||
      (isRecord(traits) && Object.values(traits).every((t) => typeof t === 'boolean' || isText(t))),
    'traits',
    "must map Okta attributes to a trait path, true or false: `{ department: 'department', mobilePhone: false }`",
  )
  if (okta !== undefined)
    check(
      isRecord(okta) && isServiceUrl(okta.orgUrl) && isText(okta.token),
      'okta',
      "must be `{ orgUrl: 'https://example.okta.com', token }`",
    )
  if (groups !== undefined) {
    check(
      isRecord(groups) && (Array.isArray(groups.allow) || groups.allow instanceof RegExp),
      'groups',
      "must be `{ allow: ['Admins'] | /^app-/ }`",
    )
    check(
      groups.send === undefined || groups.send === 'group' || groups.send === 'trait',
      'groups',
      ".send must be 'group' or 'trait'",
    )
    check(
      groups.groupId === undefined || groups.groupId === 'name' || groups.groupId === 'id',
      'groups',
      ".groupId must be 'name' (the group's name) or 'id' (Okta's group id, which survives a rename)",
    )
    check(
      groups.send !== 'trait' || okta,
      'groups',
      ".send 'trait' needs `okta` (the API token) to read each user's groups",
    )
  }
  check(
    events === undefined || (Array.isArray(events) && events.every(isText)),
    'events',
    "must be a list of Okta event types: ['user.lifecycle.deactivate']",
  )
  const mappers: Record<string, Mapper> = { ...defaultMappers(traitMap(traits), groups) }
  for (const [type, m] of Object.entries(map)) {
    if (m === false) delete mappers[type]
    else mappers[type] = m
  }
  const unmapped = (events ?? []).filter((t) => !mappers[t])
  check(
    !unmapped.length,
    'events',
    `lists ${unmapped[0]}, which has no mapping: add one in \`map\` (group types need \`groups\`)`,
  )
  // By default: the default types, the group types with `groups`, and the types `map` adds (not those it drops).
  const taken =
    events ??
    [...DEFAULT_EVENTS, ...(groups ? [GROUP_ADD, GROUP_REMOVE] : []), ...Object.keys(map)].filter((t) => mappers[t])
  const source = sourceKey(o.segment.writeKey)
  return { events: new Set(taken), mappers, source, okta, report, observe: observer(onEvent), timeout }
}

/** The event hook handler's compiled options. */
export interface HookConfig extends MappingConfig {
  secrets: readonly string[]
  header: string
  maxBodyBytes: number
}

export function hookConfig(o: EventHookOptions): HookConfig {
  check(isRecord(o), 'options', 'must be an object')
  const { secret, header = 'authorization', maxBodyBytes = 1 << 20 } = o
  const secrets = typeof secret === 'string' ? [secret] : secret
  check(
    Array.isArray(secrets) && secrets.length > 0 && secrets.every(isText),
    'secret',
    'must be the value Okta sends in the header (or a list, while you rotate it)',
  )
  check(isText(header) && HEADER.test(header), 'header', "must be a header name, such as 'authorization'")
  check(Number.isInteger(maxBodyBytes) && maxBodyBytes > 0, 'maxBodyBytes', 'must be a whole number of bytes above 0')
  // Okta waits 3 s for the answer: the deadline must leave room for the answer to reach it.
  return { ...mappingConfig(o, 2900), secrets, header: header.toLowerCase(), maxBodyBytes }
}
