// Types of collector.mjs for TypeScript tests (the server entry's tests start it from vitest).
import type { EventEmitter } from 'node:events'

export interface CollectedEvent {
  type: string
  messageId: string
  userId?: string
  event?: string
  traits?: Record<string, any>
  properties?: Record<string, any>
  context?: Record<string, any>
  groupId?: string
  timestamp?: string
  writeKey?: string
  receivedAt: string
  [field: string]: any
}

export interface Collector extends EventEmitter {
  url: string
  port: number
  apiHost: string
  cdnURL: string
  events: CollectedEvent[]
  requests: { path: string; receivedAt: number; mode: string }[]
  mode: 'ok' | 'fail500'
  clear(): void
  /** Records the next request with an event matching pred, but answers it only on release(). */
  hold(pred: (e: CollectedEvent) => boolean): { taken: Promise<CollectedEvent>; release(): void }
  waitFor(pred?: (e: CollectedEvent) => boolean, timeout?: number): Promise<CollectedEvent>
  close(): Promise<void>
}

export const DEFAULT_BUNDLES: string
export function cdnSettingsFor(apiHost: string, writeKey?: string, extra?: object): object
export function startCollector(opts?: {
  port?: number
  host?: string
  bundlesDir?: string
  settings?: object
  quiet?: boolean
}): Promise<Collector>
