// Keeping a browser on 127.0.0.1. Chromium aborts other requests itself (chromium.mjs); Firefox and
// WebKit are given this dead end as their HTTP and HTTPS proxy, with loopback exempt: whatever they
// ask of another host reaches it, is recorded, and fails (502 for http, a closed socket for CONNECT).
import http from 'node:http'

/** 127.0.0.1, localhost or [::1]: what the pages may reach. */
export const isLoopback = (hostname) => /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/.test(hostname)
export const LOOPBACK = ['127.0.0.1', 'localhost', '::1']

/** A proxy that forwards nothing: `seen` lists each URL (`https://host:port` for CONNECT) asked of it. */
export async function startDeadEnd() {
  const seen = []
  const server = http.createServer((req, res) => {
    seen.push(req.url)
    res.writeHead(502, { connection: 'close' }).end()
  })
  server.on('connect', (req, socket) => {
    seen.push(`https://${req.url}`)
    socket.destroy()
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: server.address().port,
    seen,
    close: () => {
      server.closeAllConnections?.()
      return new Promise((resolve) => server.close(() => resolve()))
    },
  }
}
