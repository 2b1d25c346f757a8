// Who the server says this tab is (`me`): the actor, its roles, its customer, and the root fields it may call.
// Pages ask `can("Query.runAnalytics")` to show a control or a page, and say in words what the role may not do.
import { gql } from "./api.js";

export const session = {
  me: null,      // { actor, roles, customer, anonymous, allowed: Set } once loaded; null while unknown
  error: null,   // why `me` could not be read (UNAUTHENTICATED on a server that needs a token)
  async load() {
    try {
      const m = (await gql(`{ me { actor roles customer anonymous allowed } }`)).me;
      this.me = { ...m, allowed: new Set(m.allowed) };
      this.error = null;
    } catch (err) { this.me = null; this.error = err; }
    return this.me;
  },
  can(field) { return !this.me || this.me.allowed.has(field); },  // unknown: let the server say
  who() {
    const m = this.me;
    if (!m) return "";
    if (m.anonymous) return "anonymous (reads as viewer)";
    return `${m.actor} (${m.roles.join(", ") || "no role"}${m.customer ? `, customer ${m.customer}` : ""})`;
  },
};

// What a page needs, as root fields, and the words shown instead of it.
export const PAGE_NEEDS = {
  analytics: { fields: ["Query.analytics", "Query.runAnalytics"], roles: "the architect or admin role" },
  portfolio: { fields: ["Query.services"], roles: "a staff role (viewer and up)" },
  service: { fields: ["Query.service"], roles: "a staff role (viewer and up)" },
  impact: { fields: ["Query.impact"], roles: "a staff role (viewer and up)" },
  finance: { fields: ["Query.costReport"], roles: "a staff role (viewer and up)" },
  relationships: { fields: ["Query.customerView"], roles: "a staff role (viewer and up) or a customer token" },
};
export const mayOpen = (page) => (PAGE_NEEDS[page]?.fields || []).every((f) => session.can(f));
