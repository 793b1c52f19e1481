import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { BrowserRouter, Route, Routes, useNavigate } from 'react-router-dom'
import { LoginCallback, Security, useOktaAuth } from '@okta/okta-react'
import { toRelativeUrl } from '@okta/okta-auth-js'
import { oktaAuth } from './okta'
import './style.css'

function Home() {
  // The same oktaAuth as in okta.ts: nothing to connect here.
  const { oktaAuth, authState } = useOktaAuth()
  if (!authState)
    return (
      <p id="status" data-state="loading">
        Loading…
      </p>
    )
  const claims = authState.isAuthenticated ? authState.idToken?.claims : undefined
  return (
    <>
      <p id="status" data-state={claims ? 'signed-in' : 'signed-out'}>
        {claims ? `Signed in as ${claims.name} (${claims.email})` : 'Signed out'}
      </p>
      <p>
        {claims ? (
          <button id="signout" onClick={() => oktaAuth.signOut()}>
            Sign out
          </button>
        ) : (
          <button id="signin" onClick={() => oktaAuth.signInWithRedirect({ originalUri: '/' })}>
            Sign in
          </button>
        )}
      </p>
    </>
  )
}

function App() {
  const navigate = useNavigate()
  const restoreOriginalUri = async (_oktaAuth: unknown, originalUri?: string) =>
    navigate(toRelativeUrl(originalUri || '/', window.location.origin), { replace: true })
  return (
    <Security oktaAuth={oktaAuth} restoreOriginalUri={restoreOriginalUri}>
      <main>
        <h1>
          okta-segment <small>React SPA (Vite, okta-react)</small>
        </h1>
        <p>
          <code>connect()</code> runs once in <code>okta.ts</code>, where <code>OktaAuth</code> and{' '}
          <code>AnalyticsBrowser</code> are created; <code>useOktaAuth()</code> gives components the same instance.
        </p>
        <Routes>
          <Route path="/" element={<Home />} />
          <Route path="/login/callback" element={<LoginCallback />} />
        </Routes>
      </main>
    </Security>
  )
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <BrowserRouter>
      <App />
    </BrowserRouter>
  </StrictMode>,
)
