// Analytics: pick a named query, fill in its parameters, see the table.
import { gql } from "../api.js";
import { h, table, errorBox, params } from "../ui.js";

export default async function analyticsPage({ parts }) {
  let list;
  try { list = (await gql(`{ analytics { name description columns params { name type required default description computedFrom } } }`)).analytics; }
  catch (err) { return h("div", {}, h("h1", {}, "Analytics"), errorBox(err)); }
  const name = parts[0] || list[0]?.name;
  const q = list.find((x) => x.name === name) || list[0];
  const pick = h("select", { name: "query", onchange: (e) => { location.hash = `#/analytics/${encodeURIComponent(e.target.value)}`; } },
    list.map((x) => h("option", { value: x.name, selected: x.name === q?.name }, x.name.replaceAll("_", " "))));
  const out = h("div", { "aria-live": "polite" });
  if (!q) return h("div", {}, h("h1", {}, "Analytics"), h("p", {}, "No analytics queries."));
  const { query } = params();
  const inputs = q.params.filter((p) => !p.computedFrom).map((p) => {
    const given = query.get(p.name);
    const v = given ?? (p.default == null ? "" : typeof p.default === "object" ? JSON.stringify(p.default) : String(p.default));
    return { p, el: h("input", { name: p.name, value: v, placeholder: p.type, title: p.description, required: p.required }) };
  });
  const run = async (e) => {
    e?.preventDefault();
    const values = {};
    for (const { p, el } of inputs) {
      const raw = el.value.trim(); if (raw === "") continue;
      const t = p.type.toLowerCase();
      values[p.name] = /int|float|number/.test(t) ? Number(raw) : /bool/.test(t) ? raw === "true" : /list|\[/.test(t) ? raw.split(",").map((x) => x.trim()) : raw;
    }
    history.replaceState(null, "", `#/analytics/${encodeURIComponent(q.name)}?${new URLSearchParams({ run: "1", ...Object.fromEntries(inputs.map(({ p, el }) => [p.name, el.value])) })}`);
    out.replaceChildren(h("div", { class: "loading" }, "Running…"));
    try {
      const r = (await gql(`query($n: String!, $p: JSON) { runAnalytics(name: $n, params: $p) { columns rows truncated } }`, { n: q.name, p: values })).runAnalytics;
      out.replaceChildren(h("p", { class: "muted" }, `${r.rows.length} rows${r.truncated ? " (truncated)" : ""}`),
        h("div", { class: "scroll", tabindex: "0" }, table(r.columns.map((c, i) => ({ label: c, num: false, cell: (row) => { const v = row[i]; return v == null ? "–" : typeof v === "object" ? JSON.stringify(v) : String(v); } })), r.rows)));
    } catch (err) { out.replaceChildren(errorBox(err)); }
  };
  // a query can take a while on a large estate: it runs when asked, or at once from a shared link (run=1)
  if (query.get("run") === "1") setTimeout(run);
  else out.replaceChildren(h("p", { class: "muted" }, "Set the parameters and press Run."));
  return h("div", {}, h("h1", {}, "Analytics"),
    h("section", { class: "card", "aria-label": "Query", style: "margin-bottom:16px" },
      h("div", { class: "row" }, h("label", {}, "Query", pick)),
      h("p", {}, q.description),
      h("form", { class: "filters", onsubmit: run },
        inputs.map(({ p, el }) => h("label", {}, `${p.name} (${p.type})`, el)),
        h("button", { type: "submit" }, "Run")),
      q.params.some((p) => p.computedFrom) ? h("p", { class: "muted" }, "Some parameters are computed by the server: ", q.params.filter((p) => p.computedFrom).map((p) => p.name).join(", ")) : null),
    h("section", { class: "card", "aria-label": "Result" }, h("h2", {}, "Result"), out));
}
