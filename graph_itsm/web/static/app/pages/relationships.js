// Relationships: a customer as its relationship manager sees it: satisfaction trend, open complaints with their
// overdue flags, the month's charges and the services they use.
import { gql } from "../api.js";
import { lineChart } from "../charts.js";
import { session } from "../session.js";
import { h, section, table, money, badge, serviceLink, monthPicker, errorBox, num } from "../ui.js";

export default async function relationshipsPage({ parts, period }) {
  let customers;
  if (!session.can("Query.customers") && session.me?.customer) customers = [{ id: session.me.customer, name: session.me.customer }];  // a customer token: its own
  else {
    try { customers = (await gql(`{ customers { id name type } }`)).customers; }
    catch (err) { return h("div", {}, h("h1", {}, "Relationships"), errorBox(err)); }
  }
  const id = parts[0] || customers[0]?.id;
  const pick = h("select", { name: "customer", onchange: (e) => { location.hash = `#/relationships/${encodeURIComponent(e.target.value)}`; } },
    customers.map((c) => h("option", { value: c.id, selected: c.id === id }, c.name)));
  const body = h("div", { class: "grid" });
  const fill = () => {
    if (!id) { body.replaceChildren(h("p", { class: "muted" }, "No customers yet.")); return; }
    const view = gql(`query($id: ID!, $p: String) { customerView(id: $id, period: $p) {
      customer { name type relationshipManager { name email } }
      services { stage health service { id name } } outcomes { id name }
      charges { total issued lines { charge service { id name } } }
      satisfaction { latest { period score comment } trend { period score } change }
      openComplaints { id name severity status escalationLevel opened deadline overdue service { id name } } } }`, { id, p: period.value });
    view.catch(() => {});
    body.replaceChildren(
      section("Satisfaction", async () => {
        const s = (await view).customerView.satisfaction;
        if (!s.trend.length) return h("p", { class: "muted" }, "No surveys yet.");
        return [h("p", {}, `Latest ${s.latest.period}: ${s.latest.score} of 5`, s.change != null ? ` (${s.change > 0 ? "+" : ""}${s.change} since the survey before)` : "",
            s.latest.comment ? ` — “${s.latest.comment}”` : ""),
          lineChart(s.trend.map((t) => ({ x: t.period, y: t.score })), { title: "Satisfaction score by month, 1 to 5" })];
      }),
      section(`Charges ${period.value}`, async () => {
        const ch = (await view).customerView.charges;
        if (!ch) return h("p", { class: "muted" }, "No charges.");
        return [h("p", {}, h("strong", {}, money(ch.total)), ch.issued ? " · issued statement" : " · draft, not issued yet"),
          table([{ label: "Service", cell: (l) => serviceLink(l.service) }, { label: "Charge", num: true, cell: (l) => money(l.charge) }], ch.lines)];
      }),
      section("Services and outcomes", async () => {
        const v = (await view).customerView;
        return [h("p", {}, "Relationship manager: ", v.customer.relationshipManager ? `${v.customer.relationshipManager.name} (${v.customer.relationshipManager.email || "no e-mail"})` : "none assigned"),
          table([{ label: "Service", cell: (x) => serviceLink(x.service) }, { label: "Stage", cell: (x) => badge(x.stage) }, { label: "Health", cell: (x) => badge(x.health) }], v.services),
          h("h3", {}, "Outcomes pursued"), v.outcomes.length ? h("ul", {}, v.outcomes.map((o) => h("li", {}, o.name))) : h("p", { class: "muted" }, "None.")];
      }),
      section("Open complaints", async () => {
        const cs = (await view).customerView.openComplaints;
        return table([{ label: "Complaint", cell: (c) => c.name || c.id }, { label: "Service", cell: (c) => c.service ? serviceLink(c.service) : "–" },
          { label: "Severity", num: true, cell: (c) => c.severity }, { label: "Status", cell: (c) => c.status.toLowerCase() + (c.escalationLevel ? ` (escalated ×${c.escalationLevel})` : "") },
          { label: "Deadline", cell: (c) => [new Date(c.deadline).toLocaleString(), " ", c.overdue ? h("span", { class: "badge b-overdue" }, "overdue") : null] }], cs);
      }, { cls: "card wide" }));
  };
  fill();
  return h("div", {}, h("div", { class: "row" }, h("h1", { style: "margin:0;flex:1" }, "Relationships"),
    h("label", {}, "Customer", pick), monthPicker(period, fill)), body);
}
