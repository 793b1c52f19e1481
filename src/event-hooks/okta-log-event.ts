// Okta's System Log event (`LogEvent`), as event hooks deliver it in `data.events[]` and Log Streaming
// puts it in an EventBridge event's `detail`: the fields a mapping reads, typed as Okta documents them
// (every one may be missing or null on the wire). This entry itself reads only uuid, published,
// eventType, actor, target, outcome, transaction and debugData.changedAttributes; it sends none of
// client, request, securityContext or the actor to Segment.

/** An actor or a target of a System Log event. `type` is `User`, `AppUser`, `UserGroup`, `AppInstance`… */
export interface OktaEntity {
  id: string
  type: string
  alternateId?: string | null
  displayName?: string | null
  detailEntry?: Record<string, unknown> | null
}

/** Where a request came from, by Okta's geolocation of its IP address. */
export interface OktaGeographicalContext {
  city?: string | null
  state?: string | null
  country?: string | null
  postalCode?: string | null
  geolocation?: { lat?: number | null; lon?: number | null } | null
}

/** The client that made the request Okta logged. */
export interface OktaClient {
  ipAddress?: string | null
  userAgent?: { rawUserAgent?: string | null; os?: string | null; browser?: string | null } | null
  zone?: string | null
  device?: string | null
  id?: string | null
  geographicalContext?: OktaGeographicalContext | null
}

/** How the actor authenticated. */
export interface OktaAuthenticationContext {
  authenticationProvider?: string | null
  credentialProvider?: string | null
  credentialType?: string | null
  issuer?: { id?: string | null; type?: string | null } | null
  interface?: string | null
  authenticationStep?: number | null
  externalSessionId?: string | null
  rootSessionId?: string | null
}

/**
 * One Okta System Log event. Only the fields Okta documents are typed; anything else Okta adds is
 * there as `unknown`.
 * @example
 * const toTrack: Mapper = (event) => [
 *   { type: 'track', event: 'Okta Sign-in', properties: { country: event.client?.geographicalContext?.country } },
 * ]
 */
export interface OktaLogEvent {
  uuid: string
  published: string
  eventType: string
  version?: string | null
  severity?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | (string & {}) | null
  legacyEventType?: string | null
  displayMessage?: string | null
  actor?: OktaEntity | null
  target?: readonly OktaEntity[] | null
  client?: OktaClient | null
  /** The IP addresses the request went through (proxies), each with where it is. */
  request?: {
    ipChain?: readonly {
      ip?: string | null
      version?: string | null
      source?: string | null
      geographicalContext?: OktaGeographicalContext | null
    }[]
  } | null
  outcome?: {
    result?: 'SUCCESS' | 'FAILURE' | 'SKIPPED' | 'ALLOW' | 'DENY' | (string & {}) | null
    reason?: string | null
  } | null
  transaction?: { id?: string | null; type?: string | null; detail?: Record<string, unknown> | null } | null
  debugContext?: {
    debugData?: {
      requestId?: string | null
      requestUri?: string | null
      url?: string | null
      /** `user.account.update_profile`: the changed attributes, comma-separated. */
      changedAttributes?: string | null
      [field: string]: unknown
    } | null
  } | null
  authenticationContext?: OktaAuthenticationContext | null
  securityContext?: {
    asNumber?: number | null
    asOrg?: string | null
    isp?: string | null
    domain?: string | null
    isProxy?: boolean | null
  } | null
  [field: string]: unknown
}
