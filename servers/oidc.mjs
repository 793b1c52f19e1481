// A real OpenID Provider (oidc-provider 9) shaped like an Okta custom authorization server,
// for the browser suite and the demo. Everything stays on 127.0.0.1; no page it serves loads
// anything from the internet.
//
//   const op = await startOidc({ clientOrigins: ['http://127.0.0.1:5173'] })
//   op.issuer  // http://127.0.0.1:PORT/oauth2/default  (give this to OktaAuth as `issuer`)
//   await op.close()
//
// Okta-style endpoints under the issuer: /v1/authorize /v1/token /v1/keys /v1/userinfo
// /v1/revoke /v1/logout /v1/introspect and /.well-known/openid-configuration.
// Demo users: alice/alice and bob/bob. The login page lives at /interaction/:uid with
// input[name=username], input[name=password] and button[type=submit].
//
// It takes what @okta/okta-auth-js 8 sends by default, as Okta does, so an app configured as for
// real Okta (`new OktaAuth({ issuer, clientId, redirectUri })`) signs in and out unchanged:
// - revoke and introspect with `Authorization: Basic base64(clientId)` (no colon, no secret, no
//   client_id in the body): see publicClientAsBody() below;
// - signOut() to `post_logout_redirect_uri=<origin>` (okta-auth-js's default, no slash): each client
//   origin is registered as `<origin>`, `<origin>/` and `<origin>/logged-out`; redirect URIs are
//   `<origin>/login/callback` and `<origin>/`.
// Other notes:
// - `offline_access` is dropped by oidc-provider unless the request has prompt=consent, so a
//   refresh token is issued to the public client regardless (issueRefreshToken below); the
//   token response's `scope` therefore omits offline_access.
// - Okta asks no logout confirmation: the logout page here submits itself.
import http from 'node:http'
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto'
import { URLSearchParams } from 'node:url'
import Provider from 'oidc-provider'
import { listen } from './static.mjs'

const CLIENT_ID = 'okta-segment-demo'
/** A second app of the same company (another client id) in the same Okta session, for SSO tests. */
export const SECOND_CLIENT_ID = 'okta-segment-demo-2'
const MOUNT = '/oauth2/default'
/** The clients, all public (token_endpoint_auth_method 'none', PKCE), as an Okta SPA app is. */
const CLIENT_IDS = new Set([CLIENT_ID, SECOND_CLIENT_ID])

export const USERS = {
  alice: {
    sub: '00u1alice0000000000',
    password: 'alice',
    email: 'alice@example.com',
    email_verified: true,
    name: 'Alice Anderson',
    given_name: 'Alice',
    family_name: 'Anderson',
    preferred_username: 'alice@example.com',
    locale: 'en-US',
    zoneinfo: 'America/Los_Angeles',
    groups: ['Everyone', 'Admins'],
  },
  bob: {
    sub: '00u1bob00000000000',
    password: 'bob',
    email: 'bob@example.com',
    email_verified: true,
    name: 'Bob Brown',
    given_name: 'Bob',
    family_name: 'Brown',
    preferred_username: 'bob@example.com',
    locale: 'en-US',
    zoneinfo: 'America/New_York',
    groups: ['Everyone'],
  },
}

const SCOPES = ['openid', 'profile', 'email', 'groups', 'offline_access']
const CLAIMS = {
  openid: ['sub'],
  profile: ['name', 'given_name', 'family_name', 'preferred_username', 'locale', 'zoneinfo', 'updated_at'],
  email: ['email', 'email_verified'],
  groups: ['groups'],
}

function esc(s) {
  return String(s).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  )
}

const STYLE = `body{font-family:system-ui,sans-serif;background:#f4f6f8;margin:0}
.box{max-width:340px;margin:60px auto;background:#fff;padding:24px 28px;border-radius:6px;box-shadow:0 1px 4px #0003}
h1{font-size:1.3em;font-weight:500}label{display:block;margin:12px 0 4px;font-size:.9em}
input{width:100%;box-sizing:border-box;padding:8px;font-size:1em}
button{margin-top:18px;width:100%;padding:10px;background:#1662dd;color:#fff;border:0;border-radius:4px;font-size:1em;cursor:pointer}
.err{color:#b00020}.hint{color:#666;font-size:.8em}`

function page(title, body) {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${esc(title)}</title>
<meta name="viewport" content="width=device-width,initial-scale=1"><style>${STYLE}</style></head>
<body><div class="box">${body}</div></body></html>`
}

function loginPage(uid, { error, username = '', clientName } = {}) {
  return page(
    'Sign In',
    `<h1>Sign in${clientName ? ` to ${esc(clientName)}` : ''}</h1>
${error ? `<p class="err" role="alert">${esc(error)}</p>` : ''}
<form method="post" action="/interaction/${esc(uid)}" autocomplete="off">
<label for="username">Username</label>
<input id="username" name="username" type="text" value="${esc(username)}" required autofocus>
<label for="password">Password</label>
<input id="password" name="password" type="password" required>
<button type="submit" id="okta-signin-submit">Sign In</button>
</form>
<p class="hint">Demo users: alice/alice, bob/bob</p>`,
  )
}

async function readForm(req) {
  const chunks = []
  for await (const c of req) chunks.push(c)
  return Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')))
}

// okta-auth-js authenticates a public client to /v1/revoke and /v1/introspect with
// `Authorization: Basic base64(clientId)` (no colon, no secret; a `clientSecret` option makes it
// `id:secret`), and Okta takes that. oidc-provider 9 does not (lib/shared/client_auth.js): a Basic
// value without a colon is 400 "invalid authorization header value format", an empty secret 400
// "client_secret must be provided", and a client with token_endpoint_auth_method 'none' is found
// only through client_id in the body. Its body parser reads the request stream itself
// (lib/shared/selective_body.js; a body parsed upstream works but warns), so such a request is
// handed over as a new request whose body says `client_id=` and which has no Authorization header.
const CLIENT_AUTH_PATHS = new Set([`${MOUNT}/v1/revoke`, `${MOUNT}/v1/introspect`])
const BODY_LIMIT = 56 * 1024 // oidc-provider's own (selective_body.js)

/** The client id a Basic header gives without a secret (`id` or `id:`), else undefined. */
function secretlessBasic(header) {
  const m = /^basic +([A-Za-z0-9+/]+={0,2})$/i.exec(header ?? '')
  if (!m) return undefined
  const value = Buffer.from(m[1], 'base64').toString('utf8')
  const colon = value.indexOf(':')
  if (colon === -1) return value
  return colon === value.length - 1 ? value.slice(0, colon) : undefined
}

/** A form POST's body as sent (undefined for anything else) and a request that can be read again. */
async function bufferForm(req) {
  if (req.method !== 'POST' || !/^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? ''))
    return { req, body: undefined }
  const chunks = []
  let size = 0
  for await (const c of req) {
    if ((size += c.length) > BODY_LIMIT) throw Object.assign(new Error('request entity too large'), { status: 413 })
    chunks.push(c)
  }
  const body = Buffer.concat(chunks).toString('utf8')
  const { 'transfer-encoding': _chunked, ...headers } = req.headers
  return { req: replay(req, headers, body), body }
}

/** A new request like `req`, with these headers and this body, for oidc-provider to read. */
function replay(req, headers, text) {
  const body = Buffer.from(text)
  const copy = new http.IncomingMessage(req.socket)
  Object.assign(copy, {
    method: req.method,
    url: req.url,
    httpVersion: req.httpVersion,
    httpVersionMajor: req.httpVersionMajor,
    httpVersionMinor: req.httpVersionMinor,
    headers: { ...headers, 'content-length': String(body.length) },
    complete: true,
  })
  copy.push(body)
  copy.push(null)
  return copy
}

/**
 * `req`, or, for a form POST to revoke/introspect (`body`, as sent) whose Basic header names one of
 * `publicIds` without a secret, a copy of it with that id as `client_id` in the body and no
 * Authorization. A body whose client_id names another client is left for oidc-provider to refuse.
 */
function publicClientAsBody(req, body, publicIds) {
  if (body === undefined || !CLIENT_AUTH_PATHS.has(req.url.split('?')[0])) return req
  const id = secretlessBasic(req.headers.authorization)
  if (id === undefined || !publicIds.has(id)) return req
  const params = new URLSearchParams(body)
  const { authorization, ...headers } = req.headers
  if (params.has('client_id') && params.get('client_id') !== id) headers.authorization = authorization
  else params.set('client_id', id)
  return replay(req, headers, params.toString())
}

/**
 * @param {{ port?: number, host?: string, clientOrigins: string[], idTokenTTL?: number,
 *   accessTokenTTL?: number, refreshTokenTTL?: number, users?: object, quiet?: boolean,
 *   userinfoDelayMs?: number }} opts  userinfoDelayMs: /v1/userinfo answers that much later (Okta's is
 *   a round trip away; apps that call it from transformAuthState see their auth state lag)
 * @returns {Promise<{ issuer: string, url: string, clientId: string, provider: any, server: http.Server,
 *   requests: { method: string, path: string, url: string, authorization?: string, body?: string, status?: number }[],
 *   close(): Promise<void> }>}
 */
export async function startOidc({
  port = 0,
  host = '127.0.0.1',
  clientOrigins = [],
  idTokenTTL = 3600,
  accessTokenTTL = 3600,
  refreshTokenTTL = 24 * 3600,
  users = USERS,
  quiet = true,
  userinfoDelayMs = 0,
} = {}) {
  const origins = clientOrigins.map((o) => new URL(o).origin)
  const allowed = new Set(origins)
  const bySub = new Map(Object.values(users).map((u) => [u.sub, u]))

  const server = http.createServer()
  const listening = await listen(server, port, host)
  const url = `http://${host}:${listening.port}`
  const issuer = `${url}${MOUNT}`

  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' }

  const provider = new Provider(issuer, {
    clients: [...CLIENT_IDS].map((client_id) => ({
      client_id,
      client_name: 'okta-segment demo',
      application_type: 'web',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: origins.flatMap((o) => [`${o}/login/callback`, `${o}/`]),
      post_logout_redirect_uris: origins.flatMap((o) => [o, `${o}/`, `${o}/logged-out`]),
      require_auth_time: true,
      id_token_signed_response_alg: 'RS256',
      scope: SCOPES.join(' '),
    })),
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    scopes: SCOPES,
    claims: CLAIMS,
    conformIdTokenClaims: false,
    routes: {
      authorization: '/v1/authorize',
      token: '/v1/token',
      jwks: '/v1/keys',
      userinfo: '/v1/userinfo',
      revocation: '/v1/revoke',
      end_session: '/v1/logout',
      introspection: '/v1/introspect',
      pushed_authorization_request: '/v1/par',
      device_authorization: '/v1/device/authorize',
      code_verification: '/v1/device',
      registration: '/v1/clients',
      backchannel_authentication: '/v1/bc/authorize',
    },
    pkce: { required: () => true },
    ttl: {
      IdToken: idTokenTTL,
      AccessToken: accessTokenTTL,
      RefreshToken: refreshTokenTTL,
      AuthorizationCode: 60,
      Interaction: 600,
      Session: 24 * 3600,
      Grant: 24 * 3600,
    },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      introspection: { enabled: true },
      userinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        // Okta does not ask "do you want to sign out?": submit the form at once.
        async logoutSource(ctx, form) {
          ctx.type = 'html'
          ctx.body = page(
            'Signing out',
            `${form}<p>Signing out…</p>
<noscript><button type="submit" form="op.logoutForm" value="yes" name="logout">Sign out</button></noscript>
<script>(function(){var f=document.getElementById('op.logoutForm');var i=document.createElement('input');
i.type='hidden';i.name='logout';i.value='yes';f.appendChild(i);f.submit()})()</script>`,
          )
        },
        async postLogoutSuccessSource(ctx) {
          ctx.type = 'html'
          ctx.body = page('Signed out', '<h1>Signed out</h1>')
        },
      },
    },
    interactions: {
      url: (ctx, interaction) => `/interaction/${interaction.uid}`,
    },
    // First-party client: no consent screen. Grant every scope/claim it may ask for.
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId)
      if (grantId) {
        const existing = await ctx.oidc.provider.Grant.find(grantId)
        if (existing) return existing
      }
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      })
      grant.addOIDCScope(SCOPES.join(' '))
      grant.addOIDCClaims(Object.values(CLAIMS).flat())
      await grant.save()
      return grant
    },
    // oidc-provider drops offline_access unless prompt=consent; Okta SPAs get a refresh token
    // when the app allows the refresh_token grant, so do the same.
    issueRefreshToken: async (ctx, client) => client.grantTypeAllowed('refresh_token'),
    clientBasedCORS: (ctx, origin) => allowed.has(origin),
    async findAccount(ctx, sub) {
      const user = bySub.get(sub)
      if (!user) return undefined
      return {
        accountId: sub,
        async claims() {
          const { password: _p, ...claims } = user
          return { ...claims, updated_at: 1700000000 }
        },
      }
    },
    async renderError(ctx, out) {
      ctx.type = 'html'
      ctx.body = page('Error', `<h1>Error</h1><pre>${esc(JSON.stringify(out, null, 2))}</pre>`)
    },
  })
  provider.proxy = false
  if (!quiet) {
    provider.on('server_error', (ctx, err) => console.error('[oidc] server_error', err))
    provider.on('grant.error', (ctx, err) => console.error('[oidc] grant.error', err.message, err.error_description))
  }

  const callback = provider.callback()

  async function interaction(req, res, uid) {
    let details
    try {
      details = await provider.interactionDetails(req, res)
    } catch (err) {
      res.writeHead(400, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
      return res.end(page('Error', `<h1>Sign-in session expired</h1><p>${esc(err.message)}</p>`))
    }
    if (details.uid !== uid) {
      res.writeHead(400, { 'content-type': 'text/plain' })
      return res.end('interaction mismatch')
    }
    const client = await provider.Client.find(details.params.client_id)
    const clientName = client?.clientName
    const send = (status, html) => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
      res.end(html)
    }
    if (req.method === 'GET') {
      if (details.prompt.name !== 'login') {
        // consent is pre-granted (loadExistingGrant); anything else just resumes.
        return provider.interactionFinished(req, res, {}, { mergeWithLastSubmission: true })
      }
      return send(200, loginPage(uid, { username: details.params.login_hint ?? '', clientName }))
    }
    if (req.method === 'POST') {
      const form = await readForm(req)
      const user = users[form.username]
      if (!user || form.password !== user.password) {
        return send(200, loginPage(uid, { error: 'Unable to sign in', username: form.username ?? '', clientName }))
      }
      return provider.interactionFinished(
        req,
        res,
        { login: { accountId: user.sub, amr: ['pwd'] } },
        { mergeWithLastSubmission: false },
      )
    }
    res.writeHead(405).end()
  }

  // every request to the provider, as the browser sent it: { method, path, url, authorization, body
  // (a form's, as sent), status (once answered) }
  const requests = []
  server.on('request', (req, res) => {
    const path = req.url.split('?')[0]
    const entry = { method: req.method, path, url: `${url}${req.url}`, authorization: req.headers.authorization }
    requests.push(entry)
    res.on('finish', () => (entry.status = res.statusCode))
    if (path === MOUNT || path.startsWith(`${MOUNT}/`)) {
      return void bufferForm(req)
        .then(({ req: r, body }) => ((entry.body = body), publicClientAsBody(r, body, CLIENT_IDS)))
        .then(
          (r) => {
            r.originalUrl = r.url
            r.url = r.url.slice(MOUNT.length) || '/'
            if (userinfoDelayMs && path === `${MOUNT}/v1/userinfo` && r.method !== 'OPTIONS')
              return void setTimeout(() => callback(r, res), userinfoDelayMs)
            return callback(r, res)
          },
          (err) => {
            if (!res.headersSent) res.writeHead(err.status ?? 400, { 'content-type': 'application/json' })
            res.end(JSON.stringify({ error: 'invalid_request', error_description: err.message }))
          },
        )
    }
    const m = /^\/interaction\/([^/]+)$/.exec(path)
    if (m) {
      return interaction(req, res, m[1]).catch((err) => {
        if (!quiet) console.error('[oidc] interaction', err)
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' })
        res.end(String(err?.message ?? err))
      })
    }
    if (path === '/.well-known/openid-configuration' || path === '/') {
      res.writeHead(302, { location: `${MOUNT}/.well-known/openid-configuration` })
      return res.end()
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
  })

  return {
    issuer,
    url,
    clientId: CLIENT_ID,
    users,
    provider,
    server,
    requests,
    close: listening.close,
  }
}

// `node servers/oidc.mjs [port] [origin...]`
if (import.meta.url === `file://${process.argv[1]}`) {
  const [p, ...o] = process.argv.slice(2)
  const op = await startOidc({
    port: Number(p ?? 0),
    clientOrigins: o.length ? o : ['http://127.0.0.1:5173'],
    quiet: false,
  })
  console.log(`issuer ${op.issuer}`)
}
