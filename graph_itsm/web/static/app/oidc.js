// OpenID Connect sign-in in the browser: the authorization code flow with PKCE (S256), a public client with no
// secret. The server says in /auth/config whether it is configured and where the identity provider's endpoints
// are; the identity provider sends the browser back to this origin's "/" with ?code=&state=, and the browser
// exchanges the code at the token endpoint itself. The JWT is then sent as a Bearer token like a pasted one.
import { token } from "./api.js";

const PENDING = "graph-itsm-oidc";

export async function oidcConfig() {
  try {
    const res = await fetch("/auth/config", { headers: { Accept: "application/json" } });
    return res.ok ? (await res.json()).oidc : null;
  } catch { return null; }
}

const b64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const random = (n) => b64url(crypto.getRandomValues(new Uint8Array(n)));
const redirectUri = () => location.origin + "/";

export async function startSignIn(cfg) {
  if (!crypto.subtle) throw new Error("Signing in with your identity provider needs https (or localhost): the browser hides the hashing PKCE needs on plain http.");
  const verifier = random(48);
  const challenge = b64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  const state = random(18);
  sessionStorage.setItem(PENDING, JSON.stringify({ state, verifier, back: location.hash || "#/portfolio", tokenEndpoint: cfg.tokenEndpoint,
    clientId: cfg.clientId, token: cfg.token }));
  const url = new URL(cfg.authorizationEndpoint);
  for (const [k, v] of Object.entries({ response_type: "code", client_id: cfg.clientId, redirect_uri: redirectUri(), scope: cfg.scope,
    state, code_challenge: challenge, code_challenge_method: "S256" })) url.searchParams.set(k, v);
  location.assign(url.toString());
}

// On the way back from the identity provider: exchange the code, keep the token. Returns true when it signed in,
// false when this load is not a sign-in answer; throws with words a person can act on when it failed.
export async function finishSignIn() {
  const q = new URLSearchParams(location.search);
  if (!q.has("code") && !q.has("error")) return false;
  const pending = JSON.parse(sessionStorage.getItem(PENDING) || "null");
  sessionStorage.removeItem(PENDING);
  history.replaceState(null, "", "/" + (pending?.back || "#/portfolio"));
  if (q.has("error")) throw new Error(`The identity provider refused the sign-in: ${q.get("error_description") || q.get("error")}.`);
  if (!pending || q.get("state") !== pending.state) throw new Error("The sign-in answer does not belong to a sign-in started in this tab; sign in again.");
  let res, body;
  try {
    res = await fetch(pending.tokenEndpoint, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
      body: new URLSearchParams({ grant_type: "authorization_code", code: q.get("code"), redirect_uri: redirectUri(), client_id: pending.clientId,
        code_verifier: pending.verifier }) });
    body = await res.json();
  } catch { throw new Error("The identity provider's token endpoint could not be reached; try signing in again."); }
  if (!res.ok) throw new Error(`The identity provider did not give a token: ${body.error_description || body.error || res.status}.`);
  const jwt = body[pending.token] || body.access_token || body.id_token;
  if (!jwt) throw new Error("The identity provider's answer holds no token.");
  token.set(jwt);
  return true;
}
