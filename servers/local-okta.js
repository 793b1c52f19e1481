// The OktaAuth of the local pages (demo, browser-suite app), set up for the local OpenID Provider
// (servers/oidc.mjs). A browser module, served at /vendor/local-okta.js; okta-auth-js's UMD bundle
// (window.OktaAuth) must have loaded first.
//
//   import { localOktaAuth } from '/vendor/local-okta.js'
//   const oktaAuth = localOktaAuth({ issuer, clientId })
//   localOktaAuth({ issuer, clientId, transformAuthState })   // more OktaAuth options, merged last
export const localOktaAuth = ({ issuer, clientId, ...more }) => {
  const origin = window.location.origin
  return new window.OktaAuth({
    issuer,
    clientId,
    redirectUri: `${origin}/login/callback`,
    postLogoutRedirectUri: `${origin}/`,
    scopes: ['openid', 'profile', 'email', 'groups', 'offline_access'],
    pkce: true,
    tokenManager: { storage: 'localStorage' },
    // okta-auth-js revokes with `Authorization: Basic base64(clientId)`, which oidc-provider
    // rejects: send client_id in the body, as a public client authenticates.
    httpRequestInterceptors: [
      (req) => {
        if (/\/v1\/revoke$/.test(req.url) && req.headers?.Authorization) {
          delete req.headers.Authorization
          req.args = `${req.args ? `${req.args}&` : ''}client_id=${encodeURIComponent(clientId)}`
        }
      },
    ],
    ...more,
  })
}
