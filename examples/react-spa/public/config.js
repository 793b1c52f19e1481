// Your Okta org and Segment source. (`node examples/serve.mjs <example>` answers /config.js with
// local stand-ins instead, so the example runs offline.)
window.EXAMPLE = {
  issuer: 'https://YOUR_OKTA_DOMAIN/oauth2/default',
  clientId: 'YOUR_CLIENT_ID',
  writeKey: 'YOUR_WRITE_KEY',
}
