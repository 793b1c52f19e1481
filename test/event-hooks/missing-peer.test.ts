// Without @segment/analytics-node installed (and no `analytics` passed): a clear error as soon as the
// handler is made, and a 500 (not a silent 204) for every delivery.
import { expect, test, vi } from 'vitest'
import { createEventHookHandler, type OktaSegmentError } from '../../src/event-hooks'
import { delivery, lifecycle } from './fixtures'
import { SECRET, WRITE_KEY, serve } from './helpers'

vi.mock('@segment/analytics-node', () => {
  throw new Error("Cannot find package '@segment/analytics-node'")
})

test('a missing analytics-node is reported at creation, and deliveries answer 500', async () => {
  const errors: OktaSegmentError[] = []
  const handler = createEventHookHandler({
    secret: SECRET,
    segment: { writeKey: WRITE_KEY, host: 'http://127.0.0.1:9' },
    onError: (e) => errors.push(e),
  })
  await vi.waitFor(() => expect(errors).toHaveLength(1))
  expect(errors[0]!.message).toMatch(/npm install @segment\/analytics-node/)
  expect(errors[0]!.name).toBe('OptionsError')
  const url = await serve(handler)
  const res = await fetch(url, {
    method: 'POST',
    headers: { authorization: SECRET, 'content-type': 'application/json' },
    body: JSON.stringify(delivery([lifecycle('deactivate')])),
  })
  expect(res.status).toBe(500)
  // the verification still works: it needs no Segment
  const verify = await fetch(url, { headers: { authorization: SECRET, 'x-okta-verification-challenge': 'c' } })
  expect(await verify.json()).toEqual({ verification: 'c' })
})
