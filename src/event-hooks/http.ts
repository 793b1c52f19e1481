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

/**
 * An error answer: `{ error }`, plus `Allow` for 405 and `Connection: close` for 413 or when `unread`
 * (the rest of the body is not waited for).
 */
export const problem = (status: number, error: string, unread = false): Response =>
  json(
    status,
    { error },
    status === 405 ? { allow: 'GET, POST' } : status === 413 || unread ? { connection: 'close' } : {},
  )

/** `application/json` or any `+json` type, parameters (charset) allowed. */
export const isJson = (contentType: string | null): boolean =>
  !!contentType && /^application\/([\w.-]+\+)?json\s*(;|$)/i.test(contentType.trim())

/** Thrown by `readText` when the body passes the limit (from Content-Length or while streaming). */
export class TooLarge extends Error {
  override name = 'TooLarge'
}

/**
 * The body is not there to read: something read it before the handler and left nothing (a framework's
 * body parser, a middleware). `message` says how to mount the handler instead. Thrown by `readText`.
 */
export class BodyUnavailable extends Error {
  override name = 'BodyUnavailable'
}

/** Thrown by `readText` when `signal` aborts first (the answer has been given without the body). */
export class ReadAborted extends Error {
  override name = 'ReadAborted'
}

const USED =
  'the request body was already read before the handler: pass the handler the request before anything ' +
  'reads its body (a middleware that called request.json() used it up)'

const abortion = (signal?: AbortSignal): Promise<never> =>
  new Promise((_, reject) => {
    if (signal?.aborted) reject(new ReadAborted())
    signal?.addEventListener('abort', () => reject(new ReadAborted()), { once: true })
  })

/**
 * The body as text, reading at most `limit` bytes: a declared or streamed size above it throws
 * `TooLarge` as soon as it is known, and the stream is cancelled (nothing more is buffered). A body
 * already used throws `BodyUnavailable`; `signal` stops the wait (`ReadAborted`), leaving the stream
 * to the connection, which the answer closes.
 */
export async function readText(request: Request, limit: number, signal?: AbortSignal): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? NaN)
  if (declared > limit) throw new TooLarge()
  if (request.bodyUsed) throw new BodyUnavailable(USED)
  if (!request.body) return ''
  const reader = request.body.getReader()
  const stopped = abortion(signal)
  stopped.catch(() => {})
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await Promise.race([reader.read(), stopped])
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

/** A turn of the event loop, so that a timer due (the deadline) runs between slices of a large piece of work. */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0))

/** Resolves with `'aborted'` when `signal` aborts (at once if it has). */
export const whenAborted = (signal: AbortSignal): Promise<'aborted'> =>
  new Promise((resolve) => {
    if (signal.aborted) resolve('aborted')
    signal.addEventListener('abort', () => resolve('aborted'), { once: true })
  })
