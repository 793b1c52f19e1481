// okta-segment/event-hooks: the server entry (Node >= 20, and fetch runtimes for the core). Okta Event
// Hooks, Log Streaming and Universal Logout -> Segment through @segment/analytics-node. Never imported
// by the browser entries.
export { createEventHookHandler } from './handler'
export { createUniversalLogoutHandler } from './universal-logout'
export { createEventMapper, createLogStreamHandler } from './log-stream'
export { toNodeListener } from './node'
export { toLambdaHandler } from './lambda'
export { DEFAULT_EVENTS } from './mapping'
export { OktaSegmentError, OptionsError, isOktaSegmentError, isOptionsError } from '../errors'
export type { LambdaHttpEvent, LambdaHttpResult } from './lambda'
export type { NodeRequestLike, NodeResponseLike } from './node'
export type { EventMapperOptions, LogStreamEvent, LogStreamOptions } from './log-stream'
export type { LogoutSubject, RevokeResult, UniversalLogoutOptions } from './universal-logout'
export type { ReplayStore } from './replay'
export type {
  OktaAuthenticationContext,
  OktaClient,
  OktaEntity,
  OktaGeographicalContext,
  OktaLogEvent,
} from './okta-log-event'
export type {
  AnalyticsNodeLike,
  AnalyticsParams,
  DeliveryOptions,
  EventHookOptions,
  HookEventReport,
  HookGroupsOption,
  MapContext,
  Mapper,
  OktaApiOption,
  OktaReader,
  RequestHandler,
  SegmentCall,
  SegmentMessage,
  SegmentOption,
} from './types'
