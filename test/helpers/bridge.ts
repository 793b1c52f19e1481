/**
 * One "tab": a real OktaAuth, a real AnalyticsBrowser and a bridge, sharing token storage and the
 * bridge's record with other tabs made from the same `World` (analytics-next shares happy-dom's
 * localStorage, as real tabs do).
 */
import type { OktaAuth, OktaAuthOptions } from '@okta/okta-auth-js'
import { afterEach, beforeEach } from 'vitest'
import { connect, type Bridge, type Options } from '../../src/index'
import { createOkta, objectStorage, settle, signIn, startOkta, type SharedStorage } from './okta'
import { createAnalytics, resetBrowserState, type AnalyticsHarness, type CreateAnalyticsOptions } from './segment'
import { quiet } from './segment'
export { quiet }
import { findSecrets } from './jwt'

export interface World {
  tokens: SharedStorage
  record: SharedStorage
  errors: Error[]
  tabs: Tab[]
}

export const createWorld = (): World => ({ tokens: {}, record: {}, errors: [], tabs: [] })

/**
 * One world per test of the calling file: browser state reset before each test, every tab it
 * opened closed after. The object stays the same; its contents are new for each test.
 */
export function useWorld(): World {
  const world = createWorld()
  beforeEach(() => {
    resetBrowserState()
    Object.assign(world, createWorld())
  })
  afterEach(() => world.tabs.forEach((t) => t.close()))
  return world
}

export interface Tab {
  okta: OktaAuth
  segment: AnalyticsHarness
  bridge: Bridge
  sync(): Promise<void>
  close(): void
}

export async function openTab(
  world: World,
  opts: {
    analytics?: CreateAnalyticsOptions
    bridge?: Partial<Options>
    start?: boolean
    okta?: Partial<OktaAuthOptions>
  } = {},
): Promise<Tab> {
  const okta = createOkta({ storage: world.tokens, options: opts.okta })
  const segment: AnalyticsHarness = createAnalytics(opts.analytics)
  const bridge = connect({
    auth: okta,
    analytics: segment.analytics,
    storage: objectStorage(world.record),
    onError: (e) => world.errors.push(e),
    ...opts.bridge,
  })
  if (opts.start) await startOkta(okta)
  const tab: Tab = {
    okta,
    segment,
    bridge,
    /** Waits for okta's evaluation and analytics' load, then runs the bridge's pending work. */
    async sync() {
      await settle(okta)
      await segment.instance
      await bridge.flush()
      await quiet(segment)
    },
    close() {
      bridge.disconnect()
      okta.stop?.()
      segment.restore()
    },
  }
  world.tabs.push(tab)
  return tab
}

/** A tab in which `claims` signed in, with everything the bridge had to send for it sent. */
export async function signedInTab(
  world: World,
  claims: Record<string, unknown>,
  opts?: Parameters<typeof openTab>[1],
): Promise<Tab> {
  const tab = await openTab(world, opts)
  signIn(tab.okta, claims)
  await tab.sync()
  return tab
}

/** A tab opened over the shared storage (a reload, a second tab), started and settled. */
export async function reopenedTab(
  world: World,
  opts: Omit<NonNullable<Parameters<typeof openTab>[1]>, 'start'> = {},
): Promise<Tab> {
  const tab = await openTab(world, { ...opts, start: true })
  await tab.sync()
  return tab
}

/** Every event any tab's analytics sent, as `type:event|userId`. */
export const wire = (world: World) =>
  world.tabs.flatMap((t) =>
    t.segment.sent.map((e) =>
      e.type === 'track' ? `track:${e.body.event}:${e.body.userId ?? '-'}` : `${e.type}:${e.body.userId ?? '-'}`,
    ),
  )

export const secretsIn = (world: World, secrets: string[]) =>
  findSecrets(
    world.tabs.map((t) => t.segment.sent.map((e) => e.body)),
    secrets,
  )
