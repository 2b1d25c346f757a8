// Finance: the month's cost report and its reconciliation, allocation as a flow (cost items -> services ->
// customers), budgets against actuals as a chart, and each customer's statement with its state.
// Every list is read a page at a time (first/offset, largest first where it is a chart), so the page answers in
// about the same time on a 20,000-service portfolio as on the demo.
import { gql } from "../api.js";
import { flow, pairBars } from "../charts.js";
import { session } from "../session.js";
import { h, section, table, money, num, monthPicker, serviceLink, kpi, errorBox, pager } from "../ui.js";

const PAGE = 50;        // rows of the cost table
const TOP = 8;          // cost items and services drawn one by one in the flow; the rest are one band each
const FLOW_CUSTOMERS = 25;
const BUDGET_BARS = 15;
const STATEMENTS = 25;  // statements a page (each one an alias: the server allows 30 a request)

function costTable(p, total) {
  const body = h("div");
  const load = async (offset) => {
    try {
      const d = await gql(`query($p: String!, $f: Int!, $o: Int!) { costReport(period: $p) { services(first: $f, offset: $o) { direct total retained unrecovered service { id name } } } }`, { p, f: PAGE, o: offset });
      const rows = d.costReport.services;
      body.replaceChildren(h("div", { class: "scroll", tabindex: "0" }, table([{ label: "Service", cell: (r) => serviceLink(r.service) }, { label: "Direct", num: true, cell: (r) => money(r.direct) },
        { label: "Total", num: true, cell: (r) => money(r.total) }, { label: "Retained", num: true, cell: (r) => money(r.retained) },
        { label: "Unrecovered", num: true, cell: (r) => money(r.unrecovered) }], rows, { caption: `Every service's cost, by id: ${num(total)} services` })),
        pager(offset, PAGE, total, load) || "");
    } catch (err) { body.replaceChildren(errorBox(err)); }
  };
  load(0);
  return body;
}

// The flow from aggregates: the TOP largest cost items and the TOP services with the largest direct cost one by
// one, everything else folded into an "other" band whose size comes from the report's totals.
export function flowColumns(report, statements) {
  const items = report.costItems, svcs = report.services;
  const topSvc = new Set(svcs.map((s) => s.service.id));
  const itemsTotal = report.totalDirect + report.totalUnallocated;
  const col1 = items.map((it) => ({ id: "i:" + it.id, label: it.name, value: it.amount }));
  const otherItems = itemsTotal - items.reduce((a, it) => a + it.amount, 0);
  const restItems = report.counts.costItems - items.length;
  if (restItems > 0 && otherItems > 0.005) col1.push({ id: "i:other", label: `${num(restItems)} other items`, value: otherItems });
  const col2 = svcs.filter((s) => s.direct > 0.005).map((s) => ({ id: "s:" + s.service.id, label: s.service.name, value: s.direct }));
  const otherSvc = report.totalDirect - svcs.reduce((a, s) => a + s.direct, 0);
  const restSvcs = report.counts.services - svcs.length;
  if (restSvcs > 0 && otherSvc > 0.005) col2.push({ id: "s:other", label: `${num(restSvcs)} other services`, value: otherSvc });
  const links = new Map();
  const add = (from, to, v) => { if (v > 0.005) links.set(`${from}>${to}`, (links.get(`${from}>${to}`) || 0) + v); };
  const fromTop = new Map();   // service node -> what the top items give it
  for (const it of items) for (const a of it.allocations) {
    const to = topSvc.has(a.service.id) ? "s:" + a.service.id : "s:other";
    const v = a.share * it.amount;
    add("i:" + it.id, to, v);
    fromTop.set(to, (fromTop.get(to) || 0) + v);
  }
  if (restItems > 0) {
    for (const s of svcs) add("i:other", "s:" + s.service.id, s.direct - (fromTop.get("s:" + s.service.id) || 0));
    add("i:other", "s:other", otherSvc - (fromTop.get("s:other") || 0));
  }
  const drawn = new Set(col2.map((n) => n.id));
  const col3 = [];
  for (const st of statements) {
    if (!st || st.total <= 0) continue;
    col3.push({ id: "c:" + st.customer.id, label: st.customer.name, value: st.total });
    for (const l of st.lines) {
      const from = topSvc.has(l.service.id) ? "s:" + l.service.id : "s:other";
      if (drawn.has(from)) add(from, "c:" + st.customer.id, l.charge);  // a fixed price on a service without cost: no band
    }
  }
  col3.sort((a, b) => b.value - a.value);
  return { columns: [col1, col2, col3], links: [...links].map(([k, value]) => { const [from, to] = k.split(">"); return { from, to, value }; }) };
}

async function allocationFlow(p, customers) {
  const shown = customers.slice(0, FLOW_CUSTOMERS);
  const fields = shown.map((c, i) => `c${i}: chargeStatement(customerId: ${JSON.stringify(c.id)}, period: $p) { total customer { id name } lines { charge service { id } } }`);
  const d = await gql(`query($p: String!, $n: Int!) { costReport(period: $p) { totalDirect totalUnallocated counts { costItems services }
      costItems(first: $n, offset: 0, orderBy: AMOUNT_DESC) { id name amount allocations { share service { id name } } }
      services(first: $n, offset: 0, orderBy: DIRECT_DESC) { direct service { id name } } }
    ${fields.join("\n")} }`, { p, n: TOP });
  if (d.costReport.counts.costItems === 0) return h("p", { class: "muted" }, `No cost items in ${p}: nothing to allocate.`);
  const { columns, links } = flowColumns(d.costReport, shown.map((c, i) => d[`c${i}`]));
  return [flow(columns, links, { title: `Allocation flow ${p}` }),
    h("p", { class: "muted" }, `Left: the month's ${TOP} largest cost items (of ${num(d.costReport.counts.costItems)}); middle: the ${TOP} services with the largest direct cost ` +
      `(of ${num(d.costReport.counts.services)}), the rest as one band each; right: what each customer is charged` +
      (customers.length > shown.length ? ` (the first ${shown.length} of ${num(customers.length)} customers)` : "") + ". Hover a band for its amount.")];
}

async function budgets(p) {
  const d = await gql(`query($p: String!, $n: Int!) { budgetReport(period: $p) { portfolio { ytdTotal { budget actual variance } }
    counts { services budgeted overBudget }
    services(first: $n, offset: 0, orderBy: BUDGET_DESC) { service { id name } total { budget actual variance } } } }`, { p, n: BUDGET_BARS });
  const r = d.budgetReport;
  const lines = r.services.filter((l) => l.total.budget > 0);
  const y = r.portfolio.ytdTotal;
  if (!lines.length) return h("p", { class: "muted" }, "No budgets set for this month.");
  return [h("p", {}, `Portfolio, year to date: budget ${money(y.budget)}, actual ${money(y.actual)}, variance ${money(y.variance)}. `,
      `${num(r.counts.budgeted)} services have a budget this month; ${num(r.counts.overBudget)} of them are over it.`),
    pairBars(lines.map((l) => ({ label: l.service?.name || "portfolio", a: l.total.budget, b: l.total.actual })), { title: `Budget against actual total cost, ${p}` }),
    r.counts.budgeted > lines.length ? h("p", { class: "muted" }, `The ${lines.length} largest of ${num(r.counts.budgeted)} budgets.`) : null];
}

function statements(p, customers) {
  const body = h("div");
  const mayIssue = session.can("Mutation.issueChargeStatement");
  const load = async (offset) => {
    const cs = customers.slice(offset, offset + STATEMENTS);
    try {
      const st = cs.length ? await gql(`query($p: String!) { ${cs.map((c, i) => `c${i}: chargeStatement(customerId: ${JSON.stringify(c.id)}, period: $p) { issued issuedAt state amountDue total totalCost }`).join("\n")} }`, { p }) : {};
      const of = (c) => st[`c${cs.indexOf(c)}`];
      const issue = async (c, button) => {
        button.disabled = true;
        try {
          await gql(`mutation($c: ID!, $p: String!) { issueChargeStatement(customerId: $c, period: $p) { issued } }`, { c: c.id, p });
          load(offset);
        } catch (err) { button.replaceWith(errorBox(err)); }
      };
      const cols = [{ label: "Customer", cell: (c) => h("a", { href: `#/relationships/${encodeURIComponent(c.id)}` }, c.name) },
        { label: "State", cell: (c) => {  // ISSUED, PAID or DISPUTED once issued (the life cycle), a draft before
          const s = of(c);
          if (!s.issued) return h("span", { class: "badge b-PIPELINE" }, "draft");
          return h("span", { class: `badge b-${s.state === "DISPUTED" ? "RETIRED" : "CATALOGUE"}`, title: `Amount due ${money(s.amountDue)}` },
            (s.state || "ISSUED").toLowerCase());
        } },
        { label: "Charge", num: true, cell: (c) => money(of(c).total) },
        { label: "Cost", num: true, cell: (c) => money(of(c).totalCost) }];
      if (mayIssue) cols.push({ label: "Action", cell: (c) => of(c).issued ? "–" : h("button", { type: "button", class: "secondary", "aria-label": `Issue the statement of ${c.name}`,
        onclick: (e) => issue(c, e.currentTarget) }, "Issue") });
      body.replaceChildren(...[table(cols, cs), pager(offset, STATEMENTS, customers.length, load),
        mayIssue ? null : h("p", { class: "muted notice" }, "Issuing a statement needs the finance role; you are signed in as ", session.who() || "someone without it", ".")].filter(Boolean));
    } catch (err) { body.replaceChildren(errorBox(err)); }
  };
  load(0);
  return body;
}

// The month's state from `periods`: OPEN (computed live) or CLOSED (reports answer from what was stored), and for
// the roles that may: closing it (finance) or opening it again with a reason (admin), each asked twice.
async function monthState(p, el, refill) {
  try {
    const months = (await gql(`{ periods(first: 36) { nodes { period state closedBy } } }`)).periods.nodes;
    const m = months.find((x) => x.period === p);
    const closed = m?.state === "CLOSED";
    const badge = m ? h("span", { class: `badge b-${closed ? "RETIRED" : "CATALOGUE"}`, title: closed
      ? "Closed: its reports answer from what was stored when it was closed" : "Open: its reports are computed from today's graph" }, m.state.toLowerCase())
      : h("span", { class: "muted" }, "no figures for this month yet");
    const box = h("span", { class: "row", style: "margin:0" });
    const act = async (mutation, vars) => {
      box.replaceChildren(h("span", { class: "muted loading" }, "Working…"));
      try { await gql(mutation, vars); refill(); } catch (err) { box.replaceChildren(errorBox(err)); }
    };
    if (!closed && session.can("Mutation.closePeriod")) {
      const ask = () => box.replaceChildren(h("span", { class: "notice", role: "note" }, `Closing ${p} stores its figures and issues every customer's statement; ` +
          "cost items and budgets of the month are refused afterwards."),
        h("button", { type: "button", onclick: () => act(`mutation($p: String!) { closePeriod(period: $p) { state } }`, { p }) }, `Close ${p}`),
        h("button", { type: "button", class: "secondary", onclick: idle }, "Cancel"));
      const idle = () => box.replaceChildren(h("button", { type: "button", class: "secondary", onclick: ask }, "Close the month…"));
      idle();
    } else if (closed && session.can("Mutation.reopenPeriod")) {
      const reason = h("input", { name: "reason", placeholder: "why it opens again", "aria-label": "Reason to reopen" });
      box.replaceChildren(reason, h("button", { type: "button", class: "secondary", onclick: () => act(
        `mutation($p: String!, $r: String!) { reopenPeriod(period: $p, reason: $r) { state } }`, { p, r: reason.value }) }, "Reopen"));
    }
    el.replaceChildren(badge, closed && m.closedBy ? h("span", { class: "muted" }, ` closed by ${m.closedBy}`) : "", box);
  } catch { el.replaceChildren(); }
}

export default async function financePage({ period }) {
  const body = h("div", { class: "grid" });
  const state = h("span", { class: "row", style: "margin:0", "aria-live": "polite" });
  const fill = () => {
    const p = period.value;
    monthState(p, state, fill);
    const customers = gql(`{ customers(first: 1000) { id name } }`).then((d) => d.customers);
    customers.catch(() => {});
    body.replaceChildren(
      section(`Cost report ${p}`, async () => {
        const d = await gql(`query($p: String!) { costReport(period: $p) { totalDirect totalRetained totalUnallocated totalUnrecovered counts { services } } }`, { p });
        const c = d.costReport;
        const ok = Math.abs(c.totalDirect - c.totalRetained) < 0.01;
        return [h("div", { class: "kpis" }, kpi("Direct cost", money(c.totalDirect)), kpi("Retained by services", money(c.totalRetained)),
            kpi("Not allocated by its items", money(c.totalUnallocated)), kpi("Not recovered from customers", money(c.totalUnrecovered))),
          h("p", {}, "Reconciliation: the services retain ", money(c.totalRetained), " of the month's direct cost of ", money(c.totalDirect),
            ok ? " — every euro accounted for ✓" : ` — a gap of ${money(c.totalDirect - c.totalRetained)}`),
          costTable(p, c.counts.services)];
      }, { cls: "card wide" }),
      section("Allocation flow", async () => allocationFlow(p, await customers), { cls: "card wide" }),
      section(`Budgets against actuals ${p}`, () => budgets(p), { cls: "card wide" }),
      section(`Statements ${p}`, async () => statements(p, await customers), { cls: "card wide" }));
  };
  fill();
  return h("div", {}, h("div", { class: "row" }, h("h1", { style: "margin:0" }, "Finance"), state, h("span", { style: "flex:1" }), monthPicker(period, fill)),
    body);
}
