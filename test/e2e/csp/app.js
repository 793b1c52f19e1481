/* global OktaAuth, btoa */
// The app: a real OktaAuth (Okta's CDN bundle, offline), a recording analytics, the script-tag bundle.
// Signs in (tokens set through the real tokenManager), then signs out, with a filter on; hashTraits
// runs too (WebCrypto). Publishes { calls, errors, middleware, hashed } as window.__result.
;(function () {
  var b64 = function (o) {
    return btoa(JSON.stringify(o)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
  }
  var now = Math.floor(Date.now() / 1000)
  var issuer = 'http://127.0.0.1:1/oauth2/default'
  var claims = {
    sub: '00u1csp0000000000001',
    email: 'csp@example.com',
    name: 'Csp User',
    phone_number: '+100',
    iss: issuer,
    aud: 'csp',
    iat: now,
    exp: now + 3600,
    auth_time: now - 5,
    nonce: 'n-1',
  }
  var jwt = function (payload) {
    return b64({ alg: 'RS256', typ: 'JWT' }) + '.' + b64(payload) + '.c2lnbmF0dXJl'
  }
  var common = { expiresAt: now + 3600, scopes: ['openid', 'profile', 'email'], authorizeUrl: issuer + '/v1/authorize' }
  var tokens = {
    idToken: Object.assign({ idToken: jwt(claims), claims: claims, issuer: issuer, clientId: 'csp' }, common),
    accessToken: Object.assign(
      {
        accessToken: jwt({ sub: claims.sub }),
        claims: { sub: claims.sub },
        tokenType: 'Bearer',
        userinfoUrl: issuer + '/v1/userinfo',
      },
      common,
    ),
  }
  var okta = new OktaAuth({
    issuer: issuer,
    clientId: 'csp',
    redirectUri: location.origin + '/login/callback',
    httpRequestClient: function () {
      return Promise.reject(new Error('offline'))
    },
    tokenManager: { autoRenew: false, autoRemove: false, syncStorage: false },
    services: { autoRenew: false, autoRemove: false, syncStorage: false, renewOnTabActivation: false },
  })
  var calls = []
  var errors = []
  var held = null
  var middleware = []
  var analytics = {
    identify: function (id, traits) {
      held = id
      calls.push(['identify', id, traits])
    },
    track: function (event) {
      calls.push(['track', event])
    },
    reset: function () {
      held = null
      calls.push(['reset'])
    },
    user: function () {
      return {
        id: function () {
          return held
        },
      }
    },
    addSourceMiddleware: function (fn) {
      middleware.push(fn)
    },
  }
  var S = window.OktaSegment
  var bridge = S.connect({
    auth: okta,
    analytics: analytics,
    plugins: [S.filters([S.dropTraits(['phone'])])],
    onError: function (e) {
      errors.push(String(e))
    },
  })
  var settle = function () {
    return new Promise(function (r) {
      setTimeout(r, 50)
    })
  }
  window.__result = okta
    .start()
    .then(function () {
      okta.tokenManager.setTokens(tokens)
      return settle()
    })
    .then(function () {
      return bridge.flush()
    })
    .then(function () {
      okta.tokenManager.clear()
      return settle()
    })
    .then(function () {
      return bridge.flush()
    })
    .then(function () {
      bridge.disconnect()
      return okta.stop()
    })
    .then(function () {
      return S.hashTraits(['email']).apply({ type: 'identify', traits: { email: 'CSP@example.com ' } }, {})
    })
    .then(function (hashed) {
      return { calls: calls, errors: errors, middleware: middleware.length, hashed: hashed.traits.email }
    })
})()
