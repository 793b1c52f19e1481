// What Okta POSTs to an event hook (the shape of its documented sample), for the examples' local runs.
import { randomUUID } from 'node:crypto'

const ADMIN = {
  id: '00u0admin00000000001',
  type: 'User',
  alternateId: 'admin@example.com',
  displayName: 'Example Admin',
}
export const USER = {
  id: '00u1qw6mqitPHM8AJ0g7',
  type: 'User',
  alternateId: 'ada@example.com',
  displayName: 'Ada Lovelace',
}

/** One System Log event of `eventType` done by an admin to USER. */
export const oktaEvent = (eventType) => ({
  version: '0',
  severity: 'INFO',
  client: { zone: 'OFF_NETWORK', device: 'Computer', ipAddress: '203.0.113.7' },
  actor: ADMIN,
  outcome: { result: 'SUCCESS' },
  uuid: randomUUID(),
  published: new Date().toISOString(),
  eventType,
  displayMessage: eventType,
  transaction: { type: 'WEB', id: `W${randomUUID().replace(/-/g, '')}` },
  debugContext: { debugData: { requestUri: '/api/v1/users' } },
  target: [USER],
})

/** The POST body: Okta's envelope around `data.events`. */
export const oktaDelivery = (events) => ({
  eventType: 'com.okta.event_hook',
  eventTypeVersion: '1.0',
  cloudEventsVersion: '0.1',
  contentType: 'application/json',
  eventId: randomUUID(),
  eventTime: new Date().toISOString(),
  source: 'https://example.okta.com/api/v1/eventHooks/whoql0HfiLGPWc8Jx0g3',
  data: { events },
})
