// The portfolio: pipeline, catalogue and retired; filters by kind, stage, owner and text; counts and cost by stage;
// the list in pages of 50.
import { gql } from "../api.js";
import { h, section, table, money, num, badge, serviceLink, monthPicker, params, setQuery, kpi, errorBox } from "../ui.js";

const STAGES = ["PIPELINE", "CATALOGUE", "RETIRED"];
const PAGE = 50;

export default async function portfolioPage({ period }) {
  const { query } = params();
  const f = { kind: query.get("kind") || "", stage: query.get("stage") || "", owner: query.get("owner") || "", search: query.get("q") || "" };
  const summary = h("div");
  const fillSummary = () => summary.replaceChildren(section("", async () => {
    const d = await gql(`query($p: String!) { portfolioCounts { total byStage { stage count } } portfolioCost(period: $p) { stage direct total retained } }`, { p: period.value });
    const byStage = Object.fromEntries(d.portfolioCounts.byStage.map((x) => [x.stage, x.count]));
    const cost = {};
    for (const c of d.portfolioCost) { cost[c.stage] ||= { direct: 0, total: 0, retained: 0 }; for (const k of ["direct", "total", "retained"]) cost[c.stage][k] += c[k]; }
    return [h("div", { class: "kpis" }, kpi("Services", num(d.portfolioCounts.total)),
        STAGES.map((st) => h("a", { href: `#/portfolio?stage=${st}`, class: "kpi", style: "text-decoration:none;color:inherit" },
          h("div", { class: "l" }, st.toLowerCase()), h("div", { class: "v" }, num(byStage[st] || 0))))),
      table([{ label: "Stage", cell: (r) => badge(r) }, { label: "Services", num: true, cell: (r) => num(byStage[r] || 0) },
        { label: `Direct cost ${period.value}`, num: true, cell: (r) => money(cost[r]?.direct) },
        { label: "Retained cost", num: true, cell: (r) => money(cost[r]?.retained) }], STAGES)];
  }, { cls: "card" }));
  fillSummary();

  const sel = (name, label, options) => h("label", {}, label, h("select", { name }, h("option", { value: "" }, "Any"),
    options.map((o) => h("option", { value: o, selected: f[name] === o }, o.replace("_", " ").toLowerCase()))));
  const list = h("div");
  const cursors = [null];
  let pageNo = 0;
  async function load() {
    setQuery("portfolio", { kind: f.kind, stage: f.stage, owner: f.owner, q: f.search });
    list.replaceChildren(h("div", { class: "loading" }, "Loading…"));
    const filter = {};
    if (f.kind) filter.kind = f.kind; if (f.stage) filter.stage = f.stage; if (f.owner) filter.owner = f.owner; if (f.search) filter.search = f.search;
    try {
      const d = await gql(`query($f: ServiceFilter, $after: String) { services(filter: $f, first: ${PAGE}, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } nodes { id name kind stage owner criticality } } }`, { f: filter, after: cursors[pageNo] });
      const c = d.services;
      cursors[pageNo + 1] = c.pageInfo.endCursor;
      list.replaceChildren(
        h("p", { class: "muted", "aria-live": "polite" }, `${num(c.totalCount)} services match · page ${pageNo + 1} of ${Math.max(1, Math.ceil(c.totalCount / PAGE))}`),
        table([{ label: "Service", cell: serviceLink }, { label: "Id", cell: (s) => h("code", {}, s.id) },
          { label: "Kind", cell: (s) => s.kind.replace("_", " ").toLowerCase() }, { label: "Stage", cell: (s) => badge(s.stage) },
          { label: "Owner", cell: (s) => s.owner || "–" }, { label: "Criticality", num: true, cell: (s) => s.criticality ?? "–" }], c.nodes),
        h("div", { class: "pager" },
          h("button", { type: "button", class: "secondary", disabled: pageNo === 0, onclick: () => { pageNo--; load(); } }, "‹ Previous"),
          h("button", { type: "button", class: "secondary", disabled: !c.pageInfo.hasNextPage, onclick: () => { pageNo++; load(); } }, "Next ›")));
    } catch (err) { list.replaceChildren(errorBox(err)); }
  }
  const form = h("form", { class: "filters", role: "search", onsubmit: (e) => {
    e.preventDefault();
    const fd = new FormData(e.target);
    for (const k of ["kind", "stage", "owner", "search"]) f[k] = (fd.get(k) || "").trim();
    cursors.length = 1; pageNo = 0; load();
  } },
    h("label", {}, "Search", h("input", { name: "search", type: "search", value: f.search, placeholder: "name, id or description" })),
    sel("kind", "Kind", ["CUSTOMER_FACING", "SUPPORTING"]), sel("stage", "Stage", STAGES),
    h("label", {}, "Owner", h("input", { name: "owner", value: f.owner, placeholder: "e.g. network" })),
    h("button", { type: "submit" }, "Filter"));
  load();
  return h("div", {},
    h("div", { class: "row" }, h("h1", { style: "margin:0;flex:1" }, "Service portfolio"), monthPicker(period, fillSummary)),
    summary,
    h("section", { class: "card", style: "margin-top:16px", "aria-label": "Services" }, h("h2", {}, "Services"), form, list));
}
