// Finance: the month's cost report and its reconciliation, allocation as a flow (cost items -> services ->
// customers), budgets against actuals as a chart, and each customer's statement with its state.
import { gql } from "../api.js";
import { flow, pairBars } from "../charts.js";
import { h, section, heavySection, table, money, num, monthPicker, serviceLink, kpi, errorBox } from "../ui.js";

const PAGE = 50;
const TOP = 8;

function costTable(p) {
  const body = h("div");
  let offset = 0;
  const load = async () => {
    try {
      const d = await gql(`query($p: String!, $o: Int!) { costReport(period: $p) { services(first: ${PAGE}, offset: $o) { direct total retained unrecovered service { id name } } } }`, { p, o: offset });
      const rows = d.costReport.services;
      body.replaceChildren(h("div", { class: "scroll", tabindex: "0" }, table([{ label: "Service", cell: (r) => serviceLink(r.service) }, { label: "Direct", num: true, cell: (r) => money(r.direct) },
        { label: "Total", num: true, cell: (r) => money(r.total) }, { label: "Retained", num: true, cell: (r) => money(r.retained) },
        { label: "Unrecovered", num: true, cell: (r) => money(r.unrecovered) }], rows)),
        h("div", { class: "pager" },
          h("button", { type: "button", class: "secondary", disabled: offset === 0, onclick: () => { offset -= PAGE; load(); } }, "‹ Previous"),
          h("span", { class: "muted" }, `from ${offset + 1}`),
          h("button", { type: "button", class: "secondary", disabled: rows.length < PAGE, onclick: () => { offset += PAGE; load(); } }, "Next ›")));
    } catch (err) { body.replaceChildren(errorBox(err)); }
  };
  load();
  return body;
}

async function allocationFlow(p) {
  const d = await gql(`query($p: String!) { costReport(period: $p) { costItems(first: 1000) { id name amount allocations { share service { id name } } } }
    customers { id name } }`, { p });
  const items = d.costReport.costItems.slice().sort((a, b) => b.amount - a.amount);
  const topItems = items.slice(0, TOP);
  const links = [];
  const svcTotals = new Map();
  const other = { id: "i:other", label: `${items.length - TOP} other items`, value: 0 };
  for (const it of items) {
    const from = topItems.includes(it) ? "i:" + it.id : other.id;
    if (from === other.id) other.value += it.amount;
    for (const a of it.allocations) {
      const v = a.share * it.amount;
      const cur = svcTotals.get(a.service.id) || { name: a.service.name, value: 0, from: new Map() };
      cur.value += v; cur.from.set(from, (cur.from.get(from) || 0) + v);
      svcTotals.set(a.service.id, cur);
    }
  }
  const svcs = [...svcTotals.entries()].sort((a, b) => b[1].value - a[1].value);
  const topSvcs = new Set(svcs.slice(0, TOP).map(([id]) => id));
  const svcNode = (id) => (topSvcs.has(id) ? "s:" + id : "s:other");
  const svcAgg = new Map();
  for (const [id, s] of svcs) for (const [from, v] of s.from) {
    const key = from + ">" + svcNode(id);
    svcAgg.set(key, (svcAgg.get(key) || 0) + v);
  }
  for (const [key, v] of svcAgg) { const [from, to] = key.split(">"); links.push({ from, to, value: v }); }
  // customers: what each one's statement charges (one request for all customers, at most 30)
  const customers = d.customers.slice(0, 30);
  const fields = customers.map((c, i) => `c${i}: chargeStatement(customerId: ${JSON.stringify(c.id)}, period: $p) { total lines { charge service { id } } }`);
  const st = customers.length ? await gql(`query($p: String!) { ${fields.join("\n")} }`, { p }) : {};
  const custCol = [];
  customers.forEach((c, i) => {
    const s = st[`c${i}`]; if (!s || s.total <= 0) return;
    custCol.push({ id: "c:" + c.id, label: c.name, value: s.total });
    const per = new Map();
    for (const l of s.lines) per.set(svcNode(l.service.id), (per.get(svcNode(l.service.id)) || 0) + l.charge);
    for (const [from, v] of per) if (v > 0) links.push({ from, to: "c:" + c.id, value: v });
  });
  const col1 = topItems.map((it) => ({ id: "i:" + it.id, label: it.name, value: it.amount }));
  if (other.value > 0) col1.push(other);
  const col2 = svcs.slice(0, TOP).map(([id, s]) => ({ id: "s:" + id, label: s.name, value: s.value }));
  const restSvc = svcs.slice(TOP).reduce((a, [, s]) => a + s.value, 0);
  if (restSvc > 0) col2.push({ id: "s:other", label: `${svcs.length - TOP} other services`, value: restSvc });
  // services pass their cost on to others before customers are charged; this shows direct allocations and charges
  return [flow([col1, col2, custCol.sort((a, b) => b.value - a.value)], links, { title: `Allocation flow ${p}` }),
    h("p", { class: "muted" }, "Left: the month's cost items; middle: the services they are allocated to directly; right: what each customer is charged. Hover a band for its amount.")];
}

export default async function financePage({ period }) {
  const body = h("div", { class: "grid" });
  const fill = () => {
    const p = period.value;
    body.replaceChildren(
      section(`Cost report ${p}`, async () => {
        const d = await gql(`query($p: String!) { costReport(period: $p) { totalDirect totalRetained totalUnallocated totalUnrecovered } }`, { p });
        const c = d.costReport;
        const ok = Math.abs(c.totalDirect - c.totalRetained) < 0.01;
        return [h("div", { class: "kpis" }, kpi("Direct cost", money(c.totalDirect)), kpi("Retained by services", money(c.totalRetained)),
            kpi("Not allocated by its items", money(c.totalUnallocated)), kpi("Not recovered from customers", money(c.totalUnrecovered))),
          h("p", {}, "Reconciliation: the services retain ", money(c.totalRetained), " of the month's direct cost of ", money(c.totalDirect),
            ok ? " — every euro accounted for ✓" : ` — a gap of ${money(c.totalDirect - c.totalRetained)}`),
          costTable(p)];
      }, { cls: "card wide" }),
      heavySection("Allocation flow", () => allocationFlow(p), { cls: "card wide" }, "reads every cost item of the month"),
      heavySection(`Budgets against actuals ${p}`, async () => {
        const d = await gql(`query($p: String!) { budgetReport(period: $p) { portfolio { ytdTotal { budget actual variance } }
          services(first: 1000) { service { id name } total { budget actual variance } } } }`, { p });
        const lines = d.budgetReport.services.filter((l) => l.total.budget > 0).sort((a, b) => b.total.budget - a.total.budget);
        const y = d.budgetReport.portfolio.ytdTotal;
        if (!lines.length) return h("p", { class: "muted" }, "No budgets set for this month.");
        return [h("p", {}, `Portfolio, year to date: budget ${money(y.budget)}, actual ${money(y.actual)}, variance ${money(y.variance)}.`),
          pairBars(lines.slice(0, 15).map((l) => ({ label: l.service?.name || "portfolio", a: l.total.budget, b: l.total.actual })), { title: `Budget against actual total cost, ${p}` }),
          lines.length > 15 ? h("p", { class: "muted" }, `The 15 largest of ${num(lines.length)} budgets.`) : null];
      }, { cls: "card wide" }, "reads the budget report of every service"),
      section(`Statements ${p}`, async () => {
        const d = await gql(`{ customers(first: 50) { id name } customersCount }`);
        const cs = d.customers;
        const st = cs.length ? await gql(`query($p: String!) { ${cs.map((c, i) => `c${i}: chargeStatement(customerId: ${JSON.stringify(c.id)}, period: $p) { issued issuedAt total totalCost }`).join("\n")} }`, { p }) : {};
        return [table([{ label: "Customer", cell: (c) => h("a", { href: `#/relationships/${encodeURIComponent(c.id)}` }, c.name) },
          { label: "State", cell: (c) => st[`c${cs.indexOf(c)}`].issued ? h("span", { class: "badge b-CATALOGUE" }, "issued") : h("span", { class: "badge b-PIPELINE" }, "draft") },
          { label: "Charge", num: true, cell: (c) => money(st[`c${cs.indexOf(c)}`].total) },
          { label: "Cost", num: true, cell: (c) => money(st[`c${cs.indexOf(c)}`].totalCost) }], cs),
          d.customersCount > cs.length ? h("p", { class: "muted" }, `The first ${num(cs.length)} of ${num(d.customersCount)} customers; open a customer for theirs.`) : null];
      }));
  };
  fill();
  return h("div", {}, h("div", { class: "row" }, h("h1", { style: "margin:0;flex:1" }, "Finance"), monthPicker(period, fill)),
    body);
}
