export { connect } from './connect'
export { OktaSegmentError, OptionsError, isOktaSegmentError, isOptionsError } from './errors'
export { DEFAULT_TRAITS } from './traits'
export type {
  AnalyticsLike,
  AuthLike,
  AuthStateLike,
  Bridge,
  Claims,
  GroupsOption,
  Options,
  StorageLike,
  TokenLike,
  Traits,
  TraitsOption,
} from './types'
