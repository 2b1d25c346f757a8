// The app shell: hash routing to one page module each, the sign-in box, and the month every page reports on.
import { gql, token } from "./api.js";
import { h, params, thisMonth, estate } from "./ui.js";
import portfolio from "./pages/portfolio.js";
import service from "./pages/service.js";
import impact from "./pages/impact.js";
import finance from "./pages/finance.js";
import relationships from "./pages/relationships.js";
import analytics from "./pages/analytics.js";

const pages = { portfolio, service, impact, finance, relationships, analytics };
const PERIOD_KEY = "graph-itsm-period";

// The month pages open on: the one last chosen, else the latest month with cost items, else this month.
export const period = {
  value: sessionStorage.getItem(PERIOD_KEY),
  set(p) { this.value = p; sessionStorage.setItem(PERIOD_KEY, p); },
};
async function defaultPeriod() {
  try { estate.services = (await gql(`{ portfolioCounts { total } }`)).portfolioCounts.total; } catch { /* shown by the pages */ }
  if (period.value) return;
  try {
    const d = await gql(`{ cypher(query: "MATCH (k:CostItem) RETURN max(k.period) AS p") { rows } }`);
    period.value = d.cypher.rows[0]?.[0] || thisMonth();
  } catch { period.value = thisMonth(); }
}

function renderSignin() {
  const box = document.getElementById("signin");
  if (token.get()) {
    box.replaceChildren(h("span", {}, "Signed in with a token"),
      h("button", { type: "button", onclick: () => { token.set(null); renderSignin(); route(); } }, "Sign out"));
    return;
  }
  const input = h("input", { type: "password", id: "token", name: "token", autocomplete: "off", placeholder: "Bearer token",
    "aria-label": "Access token" });
  box.replaceChildren(h("form", { class: "row", style: "margin:0", onsubmit: (e) => {
    e.preventDefault();
    if (input.value.trim()) { token.set(input.value.trim()); renderSignin(); route(); }
  } }, input, h("button", { type: "submit" }, "Sign in")));
}

let current = 0;
async function route() {
  const { parts } = params();
  const name = pages[parts[0]] ? parts[0] : "portfolio";
  if (!pages[parts[0]]) history.replaceState(null, "", "#/portfolio");
  for (const a of document.querySelectorAll(".top nav a[data-page]"))
    a.toggleAttribute("aria-current", a.dataset.page === name || (name === "service" && a.dataset.page === "portfolio"));
  document.querySelectorAll(".top nav a[aria-current]").forEach((a) => a.setAttribute("aria-current", "page"));
  const main = document.getElementById("main");
  const mine = ++current;
  const view = await pages[name]({ parts: parts.slice(1), period });
  if (mine !== current) return;
  main.replaceChildren(view);
  document.title = `${main.querySelector("h1")?.textContent || name} · graph-itsm`;
}

let lastPath = null;
window.addEventListener("hashchange", () => {
  const path = location.hash.split("?")[0];
  if (path !== lastPath) { lastPath = path; route(); }
});
renderSignin();
defaultPeriod().then(() => { lastPath = location.hash.split("?")[0]; route(); });
