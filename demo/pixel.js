// A device-mode destination for the demo, loaded by analytics-next from the collector's settings
// (`remotePlugins`) like any Segment action destination. It records what it receives, after
// okta-segment's destination filters, to the demo server it was loaded from (also from another
// app using the demo's write key: its events then show in the demo's live view).
;(function (script) {
  var recorder = (script && script.src ? new URL(script.src).origin : '') + '/recorder'
  window.demoPixelDestination = function (settings) {
    var name = (window.DEMO && window.DEMO.pixel) || 'Demo Pixel'
    function receive(ctx) {
      try {
        var item = { kind: 'destination', destination: name, messageId: ctx.event.messageId, event: ctx.event }
        var body = JSON.stringify(item)
        navigator.sendBeacon(recorder, body)
      } catch {
        // a demo destination never breaks the page
      }
      return ctx
    }
    return {
      name: name,
      type: 'destination',
      version: '1.0.0',
      settings: settings,
      isLoaded: function () {
        return true
      },
      load: function () {
        return Promise.resolve()
      },
      identify: receive,
      track: receive,
      page: receive,
      group: receive,
      alias: receive,
    }
  }
})(document.currentScript)
