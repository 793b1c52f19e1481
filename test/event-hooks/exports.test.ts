import { expect, it } from 'vitest'
import * as api from '../../src/event-hooks'

it('okta-segment/event-hooks exports exactly its public API', () => {
  expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
    [
      "DEFAULT_EVENTS",
      "OktaSegmentError",
      "OptionsError",
      "createEventHookHandler",
      "createEventMapper",
      "createLogStreamHandler",
      "createUniversalLogoutHandler",
      "isOktaSegmentError",
      "isOptionsError",
      "toLambdaHandler",
      "toNodeListener",
    ]
  `)
})
