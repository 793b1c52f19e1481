// Requests Okta would never send, or an attacker would: each gets its documented answer, nothing
// reaches Segment, and no answer or error message carries the secret.
import http from 'node:http'
import { describe, expect, test } from 'vitest'
import { delivery, lifecycle } from './fixtures'
import { SECRET, hook } from './helpers'

const body = () => delivery([lifecycle('deactivate')])

describe('refused requests', () => {
  test('a wrong or missing secret is 401, before the body is read', async () => {
    const h = await hook()
    for (const authorization of [
      undefined,
      '',
      `${SECRET}x`,
      SECRET.slice(0, -1),
      `Bearer ${SECRET}`,
      SECRET.toUpperCase(),
    ]) {
      const headers: Record<string, string> = authorization === undefined ? {} : { authorization }
      const res = await fetch(h.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body()),
      })
      expect(res.status, `authorization: ${JSON.stringify(authorization)}`).toBe(401)
      expect(await res.text()).not.toContain(SECRET)
    }
    // not even a body too large or broken gets past the secret check
    expect((await h.post(null, { raw: '{', headers: { authorization: 'nope' } })).status).toBe(401)
    expect((await h.post(null, { raw: 'x'.repeat(2 << 20), headers: { authorization: 'nope' } })).status).toBe(401)
    expect(h.collector.events).toEqual([])
    expect(h.errors.map((e) => e.message).join('\n')).not.toContain(SECRET)
  })

  test('any of several secrets is accepted (rotation)', async () => {
    const h = await hook({ secret: ['old-secret-value', SECRET] })
    expect((await h.post(body())).status).toBe(204)
    expect((await h.post(body(), { headers: { authorization: 'old-secret-value' } })).status).toBe(204)
    expect((await h.post(body(), { headers: { authorization: 'other' } })).status).toBe(401)
  })

  test('a body that is not JSON is 400', async () => {
    const h = await hook()
    const res = await h.post(null, { raw: '{"data": {"events": [' })
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({ error: 'body is not JSON' })
    expect(h.collector.events).toEqual([])
  })

  test('JSON that is not {"data": {"events": [...]}} is 400', async () => {
    const h = await hook()
    for (const raw of ['[]', 'null', '{"data": {}}', '{"data": {"events": {}}}', '"events"']) {
      const res = await h.post(null, { raw })
      expect(res.status, raw).toBe(400)
    }
    expect(h.collector.events).toEqual([])
  })

  test('a content type other than JSON is 415', async () => {
    const h = await hook()
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/jsonp',
    ]) {
      const res = await h.post(body(), { headers: { 'content-type': type } })
      expect(res.status, type).toBe(415)
    }
    // what Okta sends, and JSON with parameters, are fine
    expect((await h.post(body(), { headers: { 'content-type': 'application/json; charset=utf-8' } })).status).toBe(204)
    expect(h.collector.events).toHaveLength(2)
  })

  test('a body over the limit is 413, whether it declares its length or streams it', async () => {
    const h = await hook({ maxBodyBytes: 64 * 1024 })
    const big = JSON.stringify(delivery(Array.from({ length: 60 }, () => lifecycle('deactivate'))))
    expect(big.length).toBeGreaterThan(64 * 1024)
    const declared = await h.post(null, { raw: big })
    expect(declared.status).toBe(413)
    expect(declared.headers.get('connection')).toBe('close')

    // chunked: no Content-Length, the limit stops the reading part way
    const url = new URL(h.url)
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: SECRET },
        },
        (res) => {
          res.resume()
          resolve(res.statusCode!)
        },
      )
      req.on('error', reject)
      for (let i = 0; i < big.length; i += 8192) req.write(big.slice(i, i + 8192))
      req.end()
    })
    expect(status).toBe(413)
    expect(h.collector.events).toEqual([])
    expect(h.errors.filter((e) => /413/.test(e.message))).toHaveLength(2)
  })

  test('other methods are 405 with Allow', async () => {
    const h = await hook()
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      const res = await fetch(h.url, { method, headers: { authorization: SECRET } })
      expect(res.status, method).toBe(405)
      expect(res.headers.get('allow')).toBe('GET, POST')
    }
  })

  test('an empty events list is 204 with nothing sent', async () => {
    const h = await hook()
    expect((await h.post(delivery([]))).status).toBe(204)
    expect(h.collector.requests).toEqual([])
  })
})
