// AWS Lambda: a function URL or an API Gateway HTTP API event (payload 2.0) -> Request, the handler's
// Response -> the result Lambda expects. API Gateway REST (payload 1.0) events are taken too.

/** The fields of a function URL / API Gateway event this adapter reads (payload 2.0, or 1.0). */
export interface LambdaHttpEvent {
  version?: string
  rawPath?: string
  rawQueryString?: string
  path?: string
  httpMethod?: string
  headers?: Record<string, string | undefined> | null
  cookies?: string[]
  body?: string | null
  isBase64Encoded?: boolean
  requestContext?: { domainName?: string; http?: { method?: string } }
}

/** What Lambda returns to the function URL / API Gateway. */
export interface LambdaHttpResult {
  statusCode: number
  headers: Record<string, string>
  body: string
  isBase64Encoded: boolean
}

const bytesOf = (base64: string): Uint8Array => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))

/** The Request a Lambda HTTP event stands for. */
export const requestOf = (event: LambdaHttpEvent): Request => {
  const method = event.requestContext?.http?.method ?? event.httpMethod ?? 'GET'
  const host = event.requestContext?.domainName ?? event.headers?.host ?? 'lambda.local'
  const path = event.rawPath ?? event.path ?? '/'
  const url = new URL(`https://${host}${path}${event.rawQueryString ? `?${event.rawQueryString}` : ''}`)
  const headers = new Headers()
  for (const [name, value] of Object.entries(event.headers ?? {})) if (value !== undefined) headers.set(name, value)
  if (event.cookies?.length) headers.set('cookie', event.cookies.join('; '))
  const raw = event.body ?? undefined
  const body =
    raw === undefined || method === 'GET' || method === 'HEAD' ? undefined : event.isBase64Encoded ? bytesOf(raw) : raw
  return new Request(url, { method, headers, body: body as BodyInit | undefined })
}

/**
 * An AWS Lambda handler (function URL or API Gateway) for a handler. The handler keeps no state, so
 * any number of concurrent instances serve one hook.
 * @example
 * export const handler = toLambdaHandler(createEventHookHandler(options))
 */
export function toLambdaHandler(
  handler: (request: Request) => Promise<Response>,
): (event: LambdaHttpEvent) => Promise<LambdaHttpResult> {
  return async (event) => {
    const response = await handler(requestOf(event))
    const headers: Record<string, string> = {}
    response.headers.forEach((value, name) => (headers[name] = value))
    return { statusCode: response.status, headers, body: await response.text(), isBase64Encoded: false }
  }
}
