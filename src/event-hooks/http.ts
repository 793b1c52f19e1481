// The HTTP side both handlers share, Web-standard only (Request, Response, streams), so the core runs
// unchanged on Node, Lambda, Workers, Deno, Bun and Vercel.

/** An answer with a small JSON body (errors say what was wrong, never echo a credential). */
export const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
  })

/** An empty answer: what Okta expects for a delivered batch (it ignores bodies). */
export const empty = (status = 204): Response =>
  new Response(null, { status, headers: { 'cache-control': 'no-store' } })

/** An error answer: `{ error }`, plus `Allow` for 405 and `Connection: close` for 413 (the body may be unread). */
export const problem = (status: number, error: string): Response =>
  json(status, { error }, status === 405 ? { allow: 'GET, POST' } : status === 413 ? { connection: 'close' } : {})

/** `application/json` or any `+json` type, parameters (charset) allowed. */
export const isJson = (contentType: string | null): boolean =>
  !!contentType && /^application\/([\w.-]+\+)?json\s*(;|$)/i.test(contentType.trim())

/** Thrown by `readText` when the body passes the limit (from Content-Length or while streaming). */
export class TooLarge extends Error {
  override name = 'TooLarge'
}

/**
 * The body as text, reading at most `limit` bytes: a declared or streamed size above it throws
 * `TooLarge` as soon as it is known, and the stream is cancelled (nothing more is buffered).
 */
export async function readText(request: Request, limit: number): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? NaN)
  if (declared > limit) throw new TooLarge()
  if (!request.body) return ''
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > limit) {
      await reader.cancel().catch(() => {})
      throw new TooLarge()
    }
    chunks.push(value)
  }
  const all = new Uint8Array(size)
  let at = 0
  for (const chunk of chunks) {
    all.set(chunk, at)
    at += chunk.byteLength
  }
  return new TextDecoder().decode(all)
}

/** The JSON value of `text`, or `undefined` when it does not parse. */
export const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

/** Resolves with `'timeout'` after `ms`; `clear()` cancels the timer, so it never outlives the work. */
export const deadline = (ms: number): { promise: Promise<'timeout'>; clear(): void } => {
  let timer: ReturnType<typeof setTimeout> | undefined
  const promise = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), Math.max(0, ms))
  })
  return { promise, clear: () => clearTimeout(timer) }
}
