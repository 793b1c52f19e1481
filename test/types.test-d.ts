// Compile-time checks of the public types against the real SDKs' types (run by `npm run typecheck`).
import { OktaAuth, type AuthState } from '@okta/okta-auth-js'
import { AnalyticsBrowser, type Analytics } from '@segment/analytics-next'
import { expectTypeOf } from 'vitest'
import {
  connect,
  dropTraits,
  hashTraits,
  type Bridge,
  type ErrorCode,
  type Filter,
  type FilterEvent,
  type OktaSegmentError,
  filters,
  groups,
} from '../src/index'

declare const oktaAuth: OktaAuth
declare const instance: Analytics
declare const state: AuthState

const browser = AnalyticsBrowser.load({ writeKey: 'wk' })
const bridge: Bridge = connect({ auth: oktaAuth, analytics: browser })
connect({
  auth: oktaAuth,
  analytics: instance,
  plugins: [filters([dropTraits(['phone']), hashTraits(['email'], { destinations: ['Facebook Pixel'] })])],
})
connect({ auth: oktaAuth, analytics: [] /* the snippet stub */ })
connect({
  auth: oktaAuth,
  analytics: browser,
  userId: (claims) => String(claims.sub),
  traits: { given_name: 'first_name', phone_number: false },
})
connect({ auth: oktaAuth, analytics: browser, traits: (claims, traits) => ({ ...traits, plan: claims.plan }) })
connect({
  auth: oktaAuth,
  analytics: browser,
  plugins: [groups({ allow: /^app-/, send: 'group' })],
  events: { signedIn: false },
})
const custom: Filter = { name: 'custom', apply: (event: FilterEvent) => (event.type === 'page' ? null : event) }
connect({ auth: oktaAuth, analytics: browser, plugins: [filters([custom])] })
const flushed: Promise<void> = bridge.flush()
void flushed
void state

// @ts-expect-error auth is required
connect({ analytics: browser })
// @ts-expect-error analytics must have identify/track/reset
connect({ auth: oktaAuth, analytics: { identify() {} } })
// @ts-expect-error events take names or false
connect({ auth: oktaAuth, analytics: browser, events: { signedIn: true } })
// @ts-expect-error a filter needs apply
connect({ auth: oktaAuth, analytics: browser, plugins: [filters([{ name: 'x' }])] })
// @ts-expect-error groups needs allow
connect({ auth: oktaAuth, analytics: browser, plugins: [groups({})] })

// awaiting AnalyticsBrowser.load(...) gives [Analytics, Context]: taken as its instance
declare const loaded: Awaited<ReturnType<typeof AnalyticsBrowser.load>>
connect({ auth: oktaAuth, analytics: loaded })
// onError gets an OktaSegmentError; `code` is one of the codes the README lists
connect({ auth: oktaAuth, analytics: browser, onError: (e) => expectTypeOf(e.code).toEqualTypeOf<ErrorCode>() })
connect({ auth: oktaAuth, analytics: browser, onError: (e) => expectTypeOf(e).toEqualTypeOf<OktaSegmentError>() })
expectTypeOf<ErrorCode>().toEqualTypeOf<
  | 'options'
  | 'claims'
  | 'analytics'
  | 'storage'
  | 'filter'
  | 'internal'
  | 'request'
  | 'mapping'
  | 'okta-api'
  | 'delivery'
  | 'auth'
>()
// @ts-expect-error the code is a literal union
connect({ auth: oktaAuth, analytics: browser, onError: (e) => e.code === 'auth-typo' })
// @ts-expect-error the AnalyticsBrowser class, not an instance: write AnalyticsBrowser.load({ writeKey })
connect({ auth: oktaAuth, analytics: AnalyticsBrowser })
// @ts-expect-error AnalyticsBrowser.load itself, not called
connect({ auth: oktaAuth, analytics: AnalyticsBrowser.load })
declare const useOktaAuthResult: { oktaAuth: OktaAuth; authState: AuthState | null }
// @ts-expect-error okta-react's useOktaAuth() result: write useOktaAuth().oktaAuth
connect({ auth: useOktaAuthResult, analytics: browser })
// @ts-expect-error a filter factory, not called
connect({ auth: oktaAuth, analytics: browser, plugins: [filters([hashTraits])] })
