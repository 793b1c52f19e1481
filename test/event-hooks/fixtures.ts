// System Log events shaped as Okta documents them (LogEvent in an event hook's `data.events[]`):
// actor, target[], outcome, transaction, debugContext.debugData, client, authenticationContext.
// Each builder makes a fresh `uuid`, so two calls are two distinct Okta events.
import { randomUUID } from 'node:crypto'
import type { OktaEntity } from '../../src/event-hooks'

export const USER: OktaEntity = {
  id: '00u1qw6mqitPHM8AJ0g7',
  type: 'User',
  alternateId: 'ada@example.com',
  displayName: 'Ada Lovelace',
  detailEntry: null,
}
export const OTHER_USER: OktaEntity = {
  id: '00u2bob0000000000002',
  type: 'User',
  alternateId: 'bob@example.com',
  displayName: 'Bob',
  detailEntry: null,
}
export const ADMIN: OktaEntity = {
  id: '00u0admin00000000001',
  type: 'User',
  alternateId: 'admin@example.com',
  displayName: 'Example Admin',
  detailEntry: null,
}
export const APP_USER: OktaEntity = {
  id: '0ua1appuser000000001',
  type: 'AppUser',
  alternateId: 'ada@example.com',
  displayName: 'Ada Lovelace',
  detailEntry: null,
}
export const APP: OktaEntity = {
  id: '0oa1app0000000000001',
  type: 'AppInstance',
  alternateId: 'Example App',
  displayName: 'Example App',
  detailEntry: null,
}
export const group = (
  name: string,
  id = `00g${name.toLowerCase().replace(/\W/g, '').padEnd(17, '0').slice(0, 17)}`,
): OktaEntity => ({
  id,
  type: 'UserGroup',
  alternateId: 'unknown',
  displayName: name,
  detailEntry: null,
})

let clock = Date.parse('2026-03-02T10:00:00.000Z')
/** A strictly increasing `published` time. */
export const nextPublished = () => new Date((clock += 1000)).toISOString()

export interface EventInit {
  eventType: string
  actor?: OktaEntity | null
  target?: OktaEntity[] | null
  result?: string
  transaction?: string
  debugData?: Record<string, unknown>
  published?: string
  displayMessage?: string
}

/** One LogEvent. */
export const logEvent = ({
  eventType,
  actor = ADMIN,
  target = [USER],
  result = 'SUCCESS',
  transaction,
  debugData = {},
  published,
  displayMessage,
}: EventInit) => ({
  version: '0',
  severity: 'INFO',
  client: {
    zone: 'OFF_NETWORK',
    device: 'Computer',
    userAgent: { os: 'Mac OS X', browser: 'CHROME', rawUserAgent: 'Mozilla/5.0' },
    ipAddress: '203.0.113.7',
    geographicalContext: {
      city: 'Oslo',
      state: 'Oslo',
      country: 'Norway',
      postalCode: '0150',
      geolocation: { lat: 59.9, lon: 10.7 },
    },
  },
  actor,
  outcome: { result, reason: result === 'SUCCESS' ? null : 'INVALID_CREDENTIALS' },
  uuid: randomUUID(),
  published: published ?? nextPublished(),
  eventType,
  displayMessage: displayMessage ?? eventType,
  transaction: { type: 'WEB', id: transaction ?? `W${randomUUID().replace(/-/g, '').slice(0, 26)}`, detail: {} },
  legacyEventType: null,
  authenticationContext: { authenticationStep: 0, externalSessionId: '102nZ8QEjfASnyBbdYH0ABC' },
  securityContext: { asNumber: null, asOrg: null, isp: null, domain: null, isProxy: null },
  debugContext: {
    debugData: { requestId: `req-${randomUUID()}`, requestUri: '/api/v1/users', url: '/api/v1/users?', ...debugData },
  },
  target,
})

/** The POST body Okta sends: the CloudEvents-style envelope around `data.events`. */
export const delivery = (events: object[]) => ({
  eventType: 'com.okta.event_hook',
  eventTypeVersion: '1.0',
  cloudEventsVersion: '0.1',
  contentType: 'application/json',
  eventId: randomUUID(),
  eventTime: new Date().toISOString(),
  source: 'https://example.okta.com/api/v1/eventHooks/whoql0HfiLGPWc8Jx0g3',
  data: { events },
})

/** What the admin console's Preview tab delivers for a type with no recent event: sample data, null where unknown. */
export const preview = (eventType: string) => ({
  ...logEvent({ eventType }),
  actor: null,
  target: null,
  client: null,
  uuid: randomUUID(),
})

export const lifecycle = (action: string, user = USER) =>
  logEvent({ eventType: `user.lifecycle.${action}`, target: [user] })
export const profileUpdate = (changed: string, user = USER) =>
  logEvent({
    eventType: 'user.account.update_profile',
    actor: user,
    target: [user],
    debugData: { changedAttributes: changed },
  })
export const membership = (added: boolean, groupName: string, user = USER) =>
  logEvent({ eventType: `group.user_membership.${added ? 'add' : 'remove'}`, target: [user, group(groupName)] })
/** A user's own sign-out: the user is the actor, no target. */
export const sessionEnd = (user = USER, transaction?: string) =>
  logEvent({ eventType: 'user.session.end', actor: user, target: null, transaction })
export const sessionClear = (user = USER, transaction?: string) =>
  logEvent({ eventType: 'user.session.clear', target: [user], transaction })
export const universalLogout = (user = USER, transaction?: string) =>
  logEvent({ eventType: 'user.authentication.universal_logout', target: [user, APP], transaction })
