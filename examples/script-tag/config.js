// Your Okta org and Segment source. (`node examples/serve.mjs script-tag` answers /config.js with
// local stand-ins instead, so the example runs offline.)
window.EXAMPLE = {
  issuer: 'https://YOUR_OKTA_DOMAIN/oauth2/default',
  clientId: 'YOUR_CLIENT_ID',
  writeKey: 'YOUR_WRITE_KEY',
  segmentCDN: 'https://cdn.segment.com',
}
