// The OktaAuth of the local pages (demo, browser-suite app), set up for the local OpenID Provider
// (servers/oidc.mjs). A browser module, served at /vendor/local-okta.js; okta-auth-js's UMD bundle
// (window.OktaAuth) must have loaded first.
//
//   import { localOktaAuth } from '/vendor/local-okta.js'
//   const oktaAuth = localOktaAuth({ issuer, clientId })
//   localOktaAuth({ issuer, clientId, transformAuthState })   // more OktaAuth options, merged last
//
// Nothing here is specific to the local provider: it takes okta-auth-js's defaults as Okta does
// (the revoke request, postLogoutRedirectUri = location.origin), so the pages sign out as with Okta.
export const localOktaAuth = ({ issuer, clientId, ...more }) => {
  const origin = window.location.origin
  return new window.OktaAuth({
    issuer,
    clientId,
    redirectUri: `${origin}/login/callback`,
    // offline_access: a refresh token, for the renewal scenarios
    scopes: ['openid', 'profile', 'email', 'groups', 'offline_access'],
    pkce: true,
    tokenManager: { storage: 'localStorage' },
    ...more,
  })
}
