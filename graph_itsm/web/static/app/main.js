// The app shell: hash routing to one page module each, the sign-in box (a token, or OIDC where the server has
// it), what the role may see (`me`), and the month every page reports on.
import { gql, token } from "./api.js";
import { finishSignIn, oidcConfig, startSignIn } from "./oidc.js";
import { session, mayOpen, PAGE_NEEDS } from "./session.js";
import { h, params, thisMonth, errorBox } from "./ui.js";
import portfolio from "./pages/portfolio.js";
import service from "./pages/service.js";
import impact from "./pages/impact.js";
import finance from "./pages/finance.js";
import relationships from "./pages/relationships.js";
import analytics from "./pages/analytics.js";

const pages = { portfolio, service, impact, finance, relationships, analytics };
const TITLES = { portfolio: "Portfolio", service: "Service", impact: "Impact explorer", finance: "Finance", relationships: "Relationships", analytics: "Analytics" };
const PERIOD_KEY = "graph-itsm-period";
let oidc = null;
let signinError = null;

// The month pages open on: the one last chosen, else the newest month the server knows (`periods`, newest first)
// that is not in the future, else this month.
export const period = {
  value: sessionStorage.getItem(PERIOD_KEY),
  set(p) { this.value = p; sessionStorage.setItem(PERIOD_KEY, p); },
};
async function defaultPeriod() {
  if (period.value) return;
  period.value = thisMonth();
  if (!session.can("Query.periods")) return;
  try {
    const months = (await gql(`{ periods(first: 24) { nodes { period } } }`)).periods.nodes.map((n) => n.period);
    period.value = months.find((m) => m <= thisMonth()) || months[0] || thisMonth();
  } catch { /* this month, then */ }
}

function signOut() { token.set(null); start(); }

function renderSignin() {
  const box = document.getElementById("signin");
  if (token.get()) {
    box.replaceChildren(h("span", { class: "who" }, session.me ? `Signed in as ${session.who()}` : "Signed in with a token"),
      h("button", { type: "button", onclick: signOut }, "Sign out"));
    return;
  }
  const input = h("input", { type: "password", id: "token", name: "token", autocomplete: "off", placeholder: "Bearer token",
    "aria-label": "Access token" });
  box.replaceChildren(
    oidc ? h("button", { type: "button", class: "oidc", onclick: async () => {
      try { await startSignIn(oidc); } catch (err) { signinError = err; route(); }
    } }, `Sign in with ${oidc.name}`) : null,
    h("form", { class: "row", style: "margin:0", onsubmit: (e) => {
      e.preventDefault();
      if (input.value.trim()) { token.set(input.value.trim()); start(); }
    } }, input, h("button", { type: "submit" }, "Sign in")));
}

// The navigation shows the pages the role may open; the others are hidden, and said so when opened by URL.
function renderNav() {
  for (const a of document.querySelectorAll(".top nav a[data-page]")) a.hidden = !mayOpen(a.dataset.page);
}

function notAllowed(name) {
  const need = PAGE_NEEDS[name];
  const who = session.who();
  return h("div", {}, h("h1", {}, TITLES[name]),
    h("div", { class: "card notice", role: "note" }, h("strong", {}, `${TITLES[name]} is not open to your role.`),
      h("p", {}, `It needs ${need.roles}. `, who ? `You are signed in as ${who}. ` : "",
        "Sign in with a token (or your identity provider) that has that role, or ask an administrator to grant it.")));
}

function signInFirst() {
  return h("div", {}, h("h1", {}, "Sign in"),
    h("div", { class: "card notice", role: "note" }, h("strong", {}, "Sign in to use graph-itsm."),
      h("p", {}, oidc ? `Use “Sign in with ${oidc.name}” at the top right, or paste a token from your administrator.`
        : "Paste a token from your administrator in the box at the top right (graph-itsm token create)."),
      session.error ? errorBox(session.error) : null));
}

let current = 0;
async function route() {
  const { parts } = params();
  let name = pages[parts[0]] ? parts[0] : null;
  if (!name) {
    // a customer token sees its own customer only: its relationships page is its home
    name = session.me?.customer && !session.can("Query.services") ? "relationships" : "portfolio";
    history.replaceState(null, "", `#/${name}`);
  }
  for (const a of document.querySelectorAll(".top nav a[data-page]")) {
    const on = a.dataset.page === name || (name === "service" && a.dataset.page === "portfolio");
    if (on) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
  }
  const main = document.getElementById("main");
  const mine = ++current;
  let view;
  if (!session.me) view = signInFirst();
  else if (!mayOpen(name)) view = notAllowed(name);
  else view = await pages[name]({ parts: parts.slice(1), period });
  if (mine !== current) return;
  const failed = signinError ? h("div", { class: "error", role: "alert" }, h("strong", {}, "Sign-in failed."), signinError.message) : null;
  main.replaceChildren(...[failed, view].filter(Boolean));
  document.title = `${main.querySelector("h1")?.textContent || name} · graph-itsm`;
}

let lastPath = null;
window.addEventListener("hashchange", () => {
  const path = location.hash.split("?")[0];
  if (path !== lastPath) { lastPath = path; route(); }
});

// Who we are decides everything else: read it on start and after each sign-in or sign-out.
async function start() {
  await session.load();
  renderSignin();
  renderNav();
  await defaultPeriod();
  lastPath = location.hash.split("?")[0];
  await route();
}

(async () => {
  const [cfg] = await Promise.all([oidcConfig(), finishSignIn().catch((err) => { signinError = err; })]);
  oidc = cfg;
  await start();
})();
