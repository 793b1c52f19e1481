// The Segment snippet's stub for the local pages (demo, browser-suite app, smoke, bench), pointed
// at the local servers. A page includes it after its config script:
//
//   <script src="/vendor/segment-snippet.js" data-config="DEMO" data-load="async"></script>
//
// `window[data-config]` gives writeKey, apiHost and cdnURL (settings from
// `${cdnURL}/v1/projects/<writeKey>/settings`, lazy chunks from `${cdnURL}/analytics-next/bundles/`;
// the page's own origin when absent; `analyticsSrc`: where analytics.js is, /vendor/analytics-standalone.js by default). The standalone build reads _writeKey, _cdn and _loadOptions.
// With data-load="async" the stub inserts /vendor/analytics-standalone.js async, as Segment's
// snippet does; otherwise the page includes that script itself.
;(function () {
  var script = document.currentScript
  var config = window[script.getAttribute('data-config')]
  var a = (window.analytics = window.analytics || [])
  a.methods = [
    'trackSubmit',
    'trackClick',
    'trackLink',
    'trackForm',
    'pageview',
    'identify',
    'reset',
    'group',
    'track',
    'ready',
    'alias',
    'debug',
    'page',
    'screen',
    'once',
    'off',
    'on',
    'addSourceMiddleware',
    'addIntegrationMiddleware',
    'setAnonymousId',
    'addDestinationMiddleware',
    'register',
    'deregister',
  ]
  a.factory = function (m) {
    return function () {
      var args = Array.prototype.slice.call(arguments)
      args.unshift(m)
      a.push(args)
      return a
    }
  }
  for (var i = 0; i < a.methods.length; i++) a[a.methods[i]] = a.factory(a.methods[i])
  a._writeKey = config.writeKey
  a._cdn = config.cdnURL || location.origin
  a._loadOptions = { integrations: { 'Segment.io': { apiHost: config.apiHost, protocol: 'http' } } }
  if (script.getAttribute('data-load') === 'async') {
    var s = document.createElement('script')
    s.async = true
    s.src = config.analyticsSrc || '/vendor/analytics-standalone.js'
    document.head.appendChild(s)
  }
})()
