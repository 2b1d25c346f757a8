// Impact explorer: services to fail or to retire, the blast radius as a graph (DOWN / DEGRADED, distances),
// the customers and outcomes hit and the charges at risk. The whole view is in the URL, so it can be shared.
import { gql } from "../api.js";
import { createGraph, fold, BATCH, FAN } from "../graph.js";
import { h, section, table, money, num, badge, serviceLink, monthPicker, params, setQuery, kpi, errorBox } from "../ui.js";

const GRAPH_PAGE = 120;
const LIST_PAGE = 50;

function picker(label, name, values, onchange) {
  const chips = h("div", { class: "chips", "aria-live": "polite" });
  const input = h("input", { name, list: `${name}-options`, placeholder: "service id or name", autocomplete: "off" });
  const options = h("datalist", { id: `${name}-options` });
  const draw = () => chips.replaceChildren(...values.map((v) => h("span", { class: "chip" }, v,
    h("button", { type: "button", "aria-label": `Remove ${v}`, onclick: () => { values.splice(values.indexOf(v), 1); draw(); onchange(); } }, "×"))));
  let timer;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      if (input.value.length < 2) return;
      try {
        const d = await gql(`query($q: String) { services(filter: {search: $q}, first: 10) { nodes { id name } } }`, { q: input.value });
        options.replaceChildren(...d.services.nodes.map((s) => h("option", { value: s.id }, s.name)));
      } catch { /* suggestions are optional */ }
    }, 200);
  });
  const add = () => { const v = input.value.trim(); if (v && !values.includes(v)) { values.push(v); draw(); onchange(); } input.value = ""; };
  input.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); add(); } });
  draw();
  return h("div", {}, h("label", {}, label, h("div", { class: "row", style: "margin:0" }, input,
    h("button", { type: "button", class: "secondary", onclick: add }, "Add"))), options, chips);
}

export default async function impactPage({ period }) {
  const { query } = params();
  const failed = (query.get("failed") || "").split(",").filter(Boolean);
  const retired = (query.get("retire") || "").split(",").filter(Boolean);
  const depthSel = h("select", { name: "maxDepth" }, h("option", { value: "" }, "All"),
    [1, 2, 3, 4, 5, 6, 8, 10].map((d) => h("option", { value: d, selected: query.get("depth") === String(d) }, d)));
  const out = h("div");
  const share = () => setQuery("impact", { failed: failed.join(","), retire: retired.join(","), depth: depthSel.value });

  async function run() {
    share();
    if (!failed.length && !retired.length) { out.replaceChildren(h("p", { class: "muted card" }, "Add services that fail, or that you would retire, then run the analysis.")); return; }
    const vars = { f: failed, r: retired.length ? retired : null, d: depthSel.value ? Number(depthSel.value) : null, p: period.value };
    const head = `impact(failed: $f, whatIfRetired: $r, maxDepth: $d)`;
    const defs = `$f: [ID!]!, $r: [ID!], $d: Int`;
    let counts;
    try {
      counts = (await gql(`query(${defs}) { ${head} { counts { services down degraded customerFacing outcomes customers } } }`, vars)).impact.counts;
    } catch (err) { out.replaceChildren(errorBox(err)); return; }
    // the graph: the shortest-path tree from the failed services, nearest first, a page at a time
    const canvas = h("div", { class: "graph", role: "img", "aria-label": "Blast radius graph" });
    const info = h("div", { class: "muted", "aria-live": "polite" });
    const nodes = new Map(); const tree = []; const shown = {};
    let offset = 0;
    let graph;  // made once the canvas is in the page (cytoscape measures its container)
    const makeGraph = () => createGraph(canvas, {
      onSelect: (d) => info.replaceChildren(h("strong", {}, d.name), " ", badge(d.status), ` distance ${d.distance}`, d.retired ? " (retired in this what-if)" : "",
        " · path: ", d.path.join(" → "), " · ", h("a", { href: `#/service/${encodeURIComponent(d.id)}` }, "open")),
      onCluster: (id, c) => { shown[c.parentId] = (shown[c.parentId] ?? FAN) + BATCH; draw(); } });
    const more = h("button", { type: "button", class: "secondary" }, "More");
    function draw() {
      const { edges, clusters, hidden } = fold(tree, shown);
      // a node folded under one parent stays hidden; everything it leads to as well
      const gone = new Set(hidden);
      for (const e of tree) if (gone.has(e.parent)) gone.add(e.child);
      const ns = [...nodes.values()].filter((n) => !gone.has(n.id));
      const es = edges.filter((e) => !gone.has(e.child) && !gone.has(e.parent)).map((e) => ({ id: `${e.parent}>${e.child}`, source: e.child, target: e.parent }));
      for (const c of clusters) if (!gone.has(c.parent)) {
        ns.push({ id: c.id, cluster: true, parentId: c.parent, label: `+${c.count}` });
        es.push({ id: c.id + "e", source: c.id, target: c.parent });
      }
      graph ||= makeGraph();
      graph.set(ns, es);
    }
    async function page() {
      more.disabled = true;
      try {
        const d = await gql(`query(${defs}, $o: Int) { ${head} { services(first: ${GRAPH_PAGE}, offset: $o) { status distance path assumedRetired service { id name kind stage } } } }`, { ...vars, o: offset });
        for (const x of d.impact.services) {
          nodes.set(x.service.id, { ...x.service, label: `${x.service.name} (${x.distance})`, status: x.status, distance: x.distance, path: x.path, retired: x.assumedRetired, failed: x.distance === 0 });
          if (x.path.length > 1) tree.push({ parent: x.path[x.path.length - 2], child: x.service.id });
        }
        offset += d.impact.services.length;
        draw();
        more.textContent = offset >= counts.services ? "All shown" : `More (${num(counts.services - offset)} further away)`;
        more.disabled = offset >= counts.services;
      } catch (err) { info.replaceChildren(errorBox(err)); }
    }
    more.addEventListener("click", page);
    const listPager = (title, field, sub, cols, total) => {
      let off = 0;
      const body = h("div");
      const load = async () => {
        try {
          const d = await gql(`query(${defs}, $o: Int) { ${head} { ${field}(first: ${LIST_PAGE}, offset: $o) { status ${sub} } } }`, { ...vars, o: off });
          const rows = d.impact[field];
          body.replaceChildren(table(cols, rows), total <= LIST_PAGE ? "" : h("div", { class: "pager" },
            h("button", { type: "button", class: "secondary", disabled: off === 0, onclick: () => { off -= LIST_PAGE; load(); } }, "‹ Previous"),
            h("span", { class: "muted" }, `${off + 1}–${Math.min(total, off + LIST_PAGE)} of ${num(total)}`),
            h("button", { type: "button", class: "secondary", disabled: off + LIST_PAGE >= total, onclick: () => { off += LIST_PAGE; load(); } }, "Next ›")));
        } catch (err) { body.replaceChildren(errorBox(err)); }
      };
      load();
      return h("section", { class: "card", "aria-label": title }, h("h2", {}, title), body);
    };
    out.replaceChildren(
      h("div", { class: "kpis" }, kpi("Services hit", num(counts.services)), kpi("Down", num(counts.down)), kpi("Degraded", num(counts.degraded)),
        kpi("Customer-facing", num(counts.customerFacing)), kpi("Outcomes", num(counts.outcomes)), kpi("Customers", num(counts.customers))),
      h("div", { class: "grid" },
        h("section", { class: "card wide", "aria-label": "Blast radius" }, h("h2", {}, "Blast radius"),
          h("div", { class: "legend" }, h("span", {}, h("i", { style: "background:#b42318" }), "down"), h("span", {}, h("i", { style: "background:#b26a00" }), "degraded"),
            h("span", {}, h("i", { style: "background:#fff;border:3px solid #000" }), "failed or retired (distance 0)"), h("span", {}, "(n) distance in hops · +N cluster: click to show more")),
          canvas, h("div", { class: "row", style: "margin-top:8px" }, more, info)),
        listPager("Customers hit", "customers", "customer { id name }", [{ label: "Customer", cell: (x) => h("a", { href: `#/relationships/${encodeURIComponent(x.customer.id)}` }, x.customer.name) }, { label: "Status", cell: (x) => badge(x.status) }], counts.customers),
        listPager("Outcomes hit", "outcomes", "outcome { id name }", [{ label: "Outcome", cell: (x) => x.outcome.name }, { label: "Status", cell: (x) => badge(x.status) }], counts.outcomes),
        listPager("Customer-facing services hit", "customerFacing", "distance service { id name }", [{ label: "Service", cell: (x) => serviceLink(x.service) }, { label: "Status", cell: (x) => badge(x.status) }, { label: "Distance", num: true, cell: (x) => x.distance }], counts.customerFacing),
        section(`Charges at risk, ${period.value}`, async () => {
          const d = await gql(`query(${defs}, $p: String!) { ${head} { chargesAtRisk(period: $p) { total down degraded customers(first: 50) { total down degraded customer { id name } } } } }`, vars);
          const c = d.impact.chargesAtRisk;
          return [h("div", { class: "kpis" }, kpi("At risk", money(c.total)), kpi("Down", money(c.down)), kpi("Degraded", money(c.degraded))),
            h("div", { class: "scroll", tabindex: "0" }, table([{ label: "Customer", cell: (x) => x.customer.name }, { label: "Down", num: true, cell: (x) => money(x.down) },
              { label: "Degraded", num: true, cell: (x) => money(x.degraded) }, { label: "Total", num: true, cell: (x) => money(x.total) }], c.customers))];
        })));
    page();
  }

  const failPick = picker("Services that fail", "failed", failed, share);
  const retirePick = picker("Services you would retire", "retire", retired, share);
  setTimeout(run);
  return h("div", {},
    h("div", { class: "row" }, h("h1", { style: "margin:0;flex:1" }, "Impact explorer"), monthPicker(period, run)),
    h("section", { class: "card", "aria-label": "Scenario", style: "margin-bottom:16px" },
      h("div", { class: "grid" }, failPick, retirePick),
      h("div", { class: "row", style: "margin-top:8px" }, h("label", {}, "Report up to depth", depthSel),
        h("button", { type: "button", onclick: run }, "Run impact"),
        h("button", { type: "button", class: "secondary", onclick: async () => { share(); try { await navigator.clipboard.writeText(location.href); } catch {} } }, "Copy link"),
        h("span", { class: "muted" }, "The address bar holds this scenario: share it to share the view."))),
    out);
}
