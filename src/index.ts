export { connect } from './connect'
export { OktaSegmentError, OptionsError, isOktaSegmentError, isOptionsError } from './errors'
export type { ErrorCode } from './errors'
export { DEFAULT_TRAITS } from './core/traits'
export { filters } from './plugins/filters'
export { groups } from './plugins/groups'
export { allowTraits } from './filters/allow-traits'
export { dropTraits } from './filters/drop-traits'
export { hashTraits } from './filters/hash-traits'
export { dropEvents } from './filters/drop-events'
export { consent } from './filters/consent'
export type { ConsentState } from './filters/consent'
export type {
  AnalyticsLike,
  AuthLike,
  AuthStateLike,
  Bridge,
  Claims,
  Filter,
  FilterContext,
  FilterEvent,
  GroupsOption,
  Options,
  Plugin,
  PluginHooks,
  PluginHost,
  StorageLike,
  TokenLike,
  Traits,
  TraitsOption,
} from './types'
