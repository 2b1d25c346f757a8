// One service: details, outcomes, customers, the month's cost and where it came from, budget against actual,
// history, and its dependency graph in both directions with a depth control.
import { gql } from "../api.js";
import { createGraph, FAN, BATCH } from "../graph.js";
import { h, section, table, money, num, badge, serviceLink, monthPicker, params, setQuery, pct, errorBox } from "../ui.js";

const MAX_NODES = 150;
const ALIASES = 25;

// Under a list the API cut to a page: how much of it is shown (nothing when all of it is).
const more = (list, count, noun, which = "first") =>
  count > list.length ? h("p", { class: "muted" }, `The ${which} ${num(list.length)} of ${num(count)} ${noun}.`) : null;
const NODE = "id name stage kind";

async function neighbours(requests) {
  // requests: [{id, dir}] -> Map(id -> {down: [...], up: [...]}) in one request per 25 services (an alias each:
  // the server allows 30 a request), the requests of one level in parallel
  const out = new Map();
  const chunks = [];
  for (let i = 0; i < requests.length; i += ALIASES) chunks.push(requests.slice(i, i + ALIASES));
  await Promise.all(chunks.map(async (chunk) => {
    const vars = {}, defs = [], fields = [];
    chunk.forEach((r, j) => {
      vars[`v${j}`] = r.id; defs.push(`$v${j}: ID!`);
      const want = [];
      if (r.dir !== "up") want.push(`dependencies { redundancyGroup share service { ${NODE} } }`);
      if (r.dir !== "down") want.push(`consumers { redundancyGroup share service { ${NODE} } }`);
      fields.push(`n${j}: service(id: $v${j}) { id ${want.join(" ")} }`);
    });
    const data = await gql(`query(${defs.join(", ")}) { ${fields.join("\n")} }`, vars);
    chunk.forEach((r, j) => {
      const s = data[`n${j}`];
      if (s) out.set(r.id, { down: s.dependencies || [], up: s.consumers || [] });
    });
  }));
  return out;
}

// The neighbourhood, built level by level; wide fan-outs fold into clusters that unfold on click.
function neighbourhood(root, { depth, dir }) {
  const nodes = new Map([[root.id, { ...root, label: root.name, root: true }]]);
  const edges = new Map();
  const clusters = new Map();
  const pending = new Set([root.id]);   // visible services whose neighbours are not loaded yet
  const dirOf = new Map([[root.id, dir]]);

  function addEdge(from, to, dep) {
    // arrows point from the consumer to the service it depends on
    const [src, dst] = [from, to];
    edges.set(`${src}>${dst}`, { id: `${src}>${dst}`, source: src, target: dst, group: dep.redundancyGroup || undefined });
  }
  function addChild(parent, d, dep) {
    const svc = dep.service;
    const fresh = !nodes.has(svc.id);
    if (fresh) {
      nodes.set(svc.id, { ...svc, label: svc.name });
      dirOf.set(svc.id, d); pending.add(svc.id);
    }
    if (d === "down") addEdge(parent, svc.id, dep); else addEdge(svc.id, parent, dep);
    return fresh;
  }
  function attach(parent, d, list) {
    const fresh = [];
    const known = list.filter((x) => nodes.has(x.service.id));
    known.forEach((x) => addChild(parent, d, x));
    const rest = list.filter((x) => !nodes.has(x.service.id));
    const limit = rest.length <= FAN + 2 ? rest.length : FAN;
    rest.slice(0, limit).forEach((x) => addChild(parent, d, x) && fresh.push(x.service.id));
    if (rest.length > limit) {
      const id = `cluster:${parent}:${d}`;
      clusters.set(id, { parent, dir: d, rest: rest.slice(limit) });
    }
    return fresh;
  }
  async function expand(ids) {
    const reqs = ids.filter((id) => pending.has(id)).map((id) => ({ id, dir: dirOf.get(id) }));
    const data = await neighbours(reqs);
    reqs.forEach((r) => pending.delete(r.id));
    const fresh = [];
    for (const r of reqs) {
      const n = data.get(r.id); if (!n) continue;
      if (r.dir !== "up") fresh.push(...attach(r.id, "down", n.down));
      if (r.dir !== "down") fresh.push(...attach(r.id, "up", n.up));
    }
    return fresh;
  }
  return {
    nodes, edges, clusters, pending,
    async load() {
      let frontier = [root.id];
      for (let level = 0; level < depth && frontier.length && nodes.size < MAX_NODES; level++)
        frontier = await expand(frontier);
    },
    expand: (id) => expand([id]),
    unfold(clusterId) {
      const c = clusters.get(clusterId); if (!c) return;
      const batch = c.rest.splice(0, BATCH);
      batch.forEach((x) => addChild(c.parent, c.dir, x));
      if (!c.rest.length) clusters.delete(clusterId);
    },
    elements() {
      const ns = [...nodes.values()].map((n) => ({ ...n, label: n.label + (pending.has(n.id) && !n.root ? " ⊕" : "") }));
      const es = [...edges.values()];
      for (const [id, c] of clusters) {
        ns.push({ id, cluster: true, label: `+${c.rest.length}` });
        es.push(c.dir === "down" ? { id: `${id}e`, source: c.parent, target: id } : { id: `${id}e`, source: id, target: c.parent });
      }
      return [ns, es];
    },
  };
}

function graphCard(root, query) {
  const depth = h("select", { name: "depth" }, [1, 2, 3, 4, 5].map((d) => h("option", { value: d, selected: String(d) === (query.get("depth") || "2") }, d)));
  const dir = h("select", { name: "direction" },
    [["both", "Both directions"], ["down", "What it depends on"], ["up", "What depends on it"]]
      .map(([v, l]) => h("option", { value: v, selected: v === (query.get("dir") || "both") }, l)));
  const canvas = h("div", { class: "graph", role: "img", "aria-label": `Dependency graph of ${root.name}` });
  const info = h("div", { class: "muted", "aria-live": "polite" }, "Click a service for its details; click a +N cluster to show more.");
  const status = h("div", { class: "muted" });
  let hood, graph;
  const draw = () => { const [n, e] = hood.elements(); graph.set(n, e); status.className = "muted";
    status.textContent = `${hood.nodes.size} services shown` + (hood.clusters.size ? `, ${[...hood.clusters.values()].reduce((a, c) => a + c.rest.length, 0)} folded in clusters` : ""); };
  const select = (d) => {
    info.replaceChildren(h("strong", {}, d.name), " ", badge(d.stage), " ", h("span", { class: "muted" }, d.kind?.replace("_", " ").toLowerCase()), " · ",
      h("a", { href: `#/service/${encodeURIComponent(d.id)}` }, "open"), " · ",
      h("a", { href: `#/impact?failed=${encodeURIComponent(d.id)}` }, "impact if it fails"),
      hood.pending.has(d.id) ? [" · ", h("button", { type: "button", class: "secondary", onclick: async () => {
        await hood.expand(d.id); draw(); } }, "More")] : null);
  };
  const load = async () => {
    setQuery(`service/${encodeURIComponent(root.id)}`, { depth: depth.value, dir: dir.value });
    status.textContent = "Loading…"; status.className = "muted loading";
    graph ||= createGraph(canvas, { onSelect: select, onCluster: (id) => { hood.unfold(id); draw(); } });
    hood = neighbourhood(root, { depth: Number(depth.value), dir: dir.value });
    try { await hood.load(); draw(); } catch (err) { status.className = ""; status.replaceChildren(errorBox(err)); }
  };
  depth.addEventListener("change", load); dir.addEventListener("change", load);
  setTimeout(load);
  return h("section", { class: "card wide", "aria-label": "Dependency graph" },
    h("h2", {}, "Dependency graph"),
    h("div", { class: "row" }, h("label", {}, "Depth", depth), h("label", {}, "Show", dir), status),
    canvas,
    h("div", { class: "legend" }, h("span", {}, h("i", { style: "background:#1f4e79" }), "catalogue"),
      h("span", {}, h("i", { style: "background:#5b3fa8" }), "pipeline"), h("span", {}, h("i", { style: "background:#8a949e" }), "retired"),
      h("span", {}, h("i", { style: "background:#7d4fd6;height:3px" }), "redundancy group (dashed, named)"),
      h("span", {}, "⊕ more to expand"), h("span", {}, "arrows point at what a service depends on")),
    info);
}

export default async function servicePage({ parts, period }) {
  const id = parts[0];
  const { query } = params();
  const root = h("div");
  let data;
  try {
    data = await gql(`query($id: ID!) { service(id: $id) { id name description kind stage owner provider supplier
      criticality capacity riskAssessed investmentCategory redundancy { group minUp minUpPercent } enables { id name } enablesCount subscriptions { units share since customer { id name } } subscriptionsCount } }`, { id });
  } catch (err) { return h("div", {}, h("h1", {}, id), errorBox(err)); }
  const svc = data.service;
  if (!svc) return h("div", {}, h("h1", {}, "Service not found"), h("p", {}, `There is no service with id “${id}”. `, h("a", { href: "#/portfolio" }, "Back to the portfolio")));
  const monthly = h("div", { class: "grid wide" });
  const fillMonth = () => monthly.replaceChildren(
    section(`Cost in ${period.value}`, async () => {
      const d = await gql(`query($id: ID!, $p: String!) { service(id: $id) { cost(period: $p) { direct total retained unrecovered
        byCategory { category total } trace { source sourceId share amount } traceCount origins { costItemId name category amount } originsCount } } }`, { id, p: period.value });
      const c = d.service.cost;
      return [h("div", { class: "kpis" }, h("div", { class: "kpi" }, h("div", { class: "l" }, "Total"), h("div", { class: "v" }, money(c.total))),
          h("div", { class: "kpi" }, h("div", { class: "l" }, "Direct"), h("div", { class: "v" }, money(c.direct))),
          h("div", { class: "kpi" }, h("div", { class: "l" }, "Retained"), h("div", { class: "v" }, money(c.retained)))),
        h("h3", {}, "Where it came from"),
        table([{ label: "From", cell: (t) => t.source === "SERVICE" ? h("a", { href: `#/service/${encodeURIComponent(t.sourceId)}` }, t.sourceId) : t.sourceId },
          { label: "Kind", cell: (t) => t.source.replace("_", " ").toLowerCase() }, { label: "Share", num: true, cell: (t) => pct(t.share) },
          { label: "Amount", num: true, cell: (t) => money(t.amount) }], c.trace), more(c.trace, c.traceCount, "terms"),
        h("h3", {}, "Cost items behind the total"),
        table([{ label: "Cost item", cell: (o) => o.name }, { label: "Category", cell: (o) => o.category }, { label: "Amount", num: true, cell: (o) => money(o.amount) }], c.origins), more(c.origins, c.originsCount, "cost items", "largest")];
    }),
    section(`Budget against actual, ${period.value}`, async () => {
      const d = await gql(`query($p: String!, $id: ID!) { budgetReport(period: $p) { service(id: $id) { direct { budget actual variance percent }
        total { budget actual variance percent } ytdTotal { budget actual variance percent } } } }`, { p: period.value, id });
      const line = d.budgetReport.service;
      if (!line) return h("p", { class: "muted" }, "No budget is set for this service in this year.");
      const row = (label, v) => ({ label, ...v });
      return table([{ label: "", cell: (r) => r.label }, { label: "Budget", num: true, cell: (r) => money(r.budget) },
        { label: "Actual", num: true, cell: (r) => money(r.actual) }, { label: "Variance", num: true, cell: (r) => money(r.variance) },
        { label: "%", num: true, cell: (r) => r.percent == null ? "–" : r.percent.toFixed(1) + " %" }],
        [row("Direct, month", line.direct), row("Total, month", line.total), row("Total, year to date", line.ytdTotal)]);
    }));
  fillMonth();
  const dl = (pairs) => h("dl", { class: "details" }, pairs.filter(([, v]) => v !== null && v !== undefined && v !== "").map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
  root.append(
    h("p", { class: "muted" }, h("a", { href: "#/portfolio" }, "Portfolio"), " › ", svc.id),
    h("div", { class: "row" }, h("h1", { style: "margin:0" }, svc.name), badge(svc.stage),
      h("a", { href: `#/impact?failed=${encodeURIComponent(svc.id)}` }, "What breaks if it fails?"),
      h("span", { style: "flex:1" }), monthPicker(period, fillMonth)),
    h("div", { class: "grid" },
      h("section", { class: "card", "aria-label": "Details" }, h("h2", {}, "Details"), dl([["Id", svc.id], ["Kind", svc.kind.replace("_", " ").toLowerCase()],
        ["Stage", svc.stage.toLowerCase()], ["Owner", svc.owner], ["Provider", svc.provider.toLowerCase()], ["Supplier", svc.supplier],
        ["Criticality", svc.criticality], ["Capacity", svc.capacity], ["Risk assessed", svc.riskAssessed ? "yes" : "no"],
        ["Investment", svc.investmentCategory?.toLowerCase()],
        ["Redundancy", svc.redundancy.map((r) => `${r.group}: ${r.minUp != null ? r.minUp : r.minUpPercent + " %"} of its members up`).join("; ")],
        ["Description", svc.description]])),
      h("section", { class: "card", "aria-label": "Outcomes and customers" }, h("h2", {}, "Business outcomes"),
        svc.enables.length ? h("ul", {}, svc.enables.map((o) => h("li", {}, o.name))) : h("p", { class: "muted" }, "Enables no business outcome directly."),
        more(svc.enables, svc.enablesCount, "outcomes"),
        h("h2", {}, "Customers"),
        table([{ label: "Customer", cell: (x) => h("a", { href: `#/relationships/${encodeURIComponent(x.customer.id)}` }, x.customer.name) },
          { label: "Units", num: true, cell: (x) => num(x.units) }, { label: "Since", cell: (x) => x.since || "–" }], svc.subscriptions), more(svc.subscriptions, svc.subscriptionsCount, "subscriptions")),
      graphCard(svc, query),
      monthly,
      section("History", async () => {
        const d = await gql(`query($id: ID!) { service(id: $id) { history { id at actor action } historyCount } }`, { id });
        const hist = d.service.history.slice().reverse();  // the latest page (newest first), shown oldest first
        return h("div", { class: "scroll", tabindex: "0" }, table([{ label: "When", cell: (e) => new Date(e.at).toLocaleString() }, { label: "Who", cell: (e) => e.actor },
          { label: "What", cell: (e) => e.action }], hist), more(hist, d.service.historyCount, "changes", "latest"));
      }, { cls: "card wide" })));
  return root;
}
