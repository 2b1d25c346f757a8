// Small DOM helpers: h() builds elements, plus tables, badges, money and async sections with their errors.
import { explain } from "./api.js";

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else if (k in el && typeof v !== "string") el[k] = v;
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export const svgNS = "http://www.w3.org/2000/svg";
export function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(svgNS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) el.setAttribute(k, v);
  for (const c of children.flat(Infinity)) if (c != null) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

let currency = "EUR";
export const setCurrency = (c) => { if (c) currency = c; };
export function money(x) {
  if (x === null || x === undefined) return "–";
  try { return new Intl.NumberFormat(undefined, { style: "currency", currency, maximumFractionDigits: 0 }).format(x); }
  catch { return Math.round(x).toLocaleString(); }
}
export const num = (x) => (x === null || x === undefined ? "–" : Number(x).toLocaleString());
export const pct = (x) => (x === null || x === undefined ? "–" : (x * 100).toFixed(0) + " %");
export const badge = (text, cls = text) => h("span", { class: `badge b-${cls}` }, String(text).replace("_", " "));
export const serviceLink = (svc) => h("a", { href: `#/service/${encodeURIComponent(svc.id)}` }, svc.name || svc.id);

export function table(columns, rows, { caption } = {}) {
  return h("table", {},
    caption ? h("caption", { class: "muted", style: "text-align:left;caption-side:top;padding-bottom:4px" }, caption) : null,
    h("thead", {}, h("tr", {}, columns.map((c) => h("th", { scope: "col", class: c.num ? "num" : "" }, c.label)))),
    h("tbody", {}, rows.length ? rows.map((r) => h("tr", {}, columns.map((c) => h("td", { class: c.num ? "num" : "" }, c.cell(r)))))
      : h("tr", {}, h("td", { colspan: columns.length, class: "muted" }, "Nothing to show."))));
}

export function errorBox(err) {
  const { title, text } = explain(err);
  return h("div", { class: "error", role: "alert" }, h("strong", {}, title), text);
}

// A card whose body is filled by an async function; errors show in the card, not for the whole page.
export function section(title, fill, { cls = "card" } = {}) {
  const body = h("div", { class: "loading" }, "Loading…");
  const card = h("section", { class: cls, "aria-label": title }, title ? h("h2", {}, title) : null, body);
  Promise.resolve().then(fill).then((content) => {
    body.className = "";
    body.replaceChildren(...[content].flat().filter(Boolean));
  }).catch((err) => { console.warn(err); body.className = ""; body.replaceChildren(errorBox(err)); });
  return card;
}

export function kpi(label, value) {
  return h("div", { class: "kpi" }, h("div", { class: "l" }, label), h("div", { class: "v" }, value));
}

// Route parameters live in the hash: #/page/arg?x=1&y=2, so every view can be shared by URL.
export function params() {
  const [path, q = ""] = location.hash.slice(1).split("?");
  return { parts: path.split("/").filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(q) };
}
export function setQuery(page, query) {
  const q = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== "" && v != null && v.length !== 0)).toString();
  const target = `#/${page}${q ? "?" + q : ""}`;
  if (location.hash !== target) history.replaceState(null, "", target);
}

export function thisMonth() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}`;
}

// A month picker bound to the shared period; `onchange` re-renders what depends on it.
export function monthPicker(period, onchange) {
  return h("label", {}, "Month", h("input", { type: "month", name: "period", value: period.value,
    onchange: (e) => { if (e.target.value) { period.set(e.target.value); onchange(e.target.value); } } }));
}

// Previous / "a–b of n" / Next under a paged list; `go(offset)` loads another page.
export function pager(offset, size, total, go) {
  if (total <= size && offset === 0) return null;
  return h("div", { class: "pager" },
    h("button", { type: "button", class: "secondary", disabled: offset === 0, onclick: () => go(Math.max(0, offset - size)) }, "‹ Previous"),
    h("span", { class: "muted" }, `${num(offset + 1)}–${num(Math.min(total, offset + size))} of ${num(total)}`),
    h("button", { type: "button", class: "secondary", disabled: offset + size >= total, onclick: () => go(offset + size) }, "Next ›"));
}

// A section the role may not use: said in words instead of an error.
export function notForRole(title, text, opts = {}) {
  return h("section", { class: opts.cls || "card", "aria-label": title }, title ? h("h2", {}, title) : null,
    h("p", { class: "notice", role: "note" }, text));
}
