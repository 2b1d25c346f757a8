// Graph views on cytoscape: a neighbourhood, never the whole estate. Wide fan-outs fold into a cluster node
// ("+N more") that unfolds a batch at a time when clicked.
import cytoscape from "../vendor/cytoscape.esm.min.mjs";

export const FAN = 10;      // neighbours shown per node and direction before the rest fold into a cluster
export const BATCH = 25;    // how many a click on a cluster unfolds

const COLORS = { DOWN: "#b42318", DEGRADED: "#b26a00", PIPELINE: "#5b3fa8", CATALOGUE: "#1f4e79", RETIRED: "#8a949e" };

const style = [
  { selector: "node", style: {
    label: "data(label)", "font-size": 11, "text-valign": "bottom", "text-margin-y": 4, color: "#1b2430",
    "background-color": (n) => COLORS[n.data("status")] || COLORS[n.data("stage")] || "#1f4e79",
    width: 22, height: 22, "text-wrap": "ellipsis", "text-max-width": 120, "border-width": 0 } },
  { selector: "node[kind = 'CUSTOMER_FACING']", style: { shape: "round-rectangle", width: 28 } },
  { selector: "node[?root]", style: { "border-width": 4, "border-color": "#f0a000", width: 30, height: 30 } },
  { selector: "node[?failed]", style: { "border-width": 4, "border-color": "#000" } },
  { selector: "node[?cluster]", style: { shape: "ellipse", "background-color": "#e8eef6", "border-width": 2,
    "border-color": "#5b6b7d", "border-style": "dashed", width: 40, height: 40, "text-valign": "center",
    "text-margin-y": 0, "font-weight": 700, color: "#1f4e79" } },
  { selector: "node:selected", style: { "overlay-opacity": 0.15, "overlay-color": "#0b63c5" } },
  { selector: "edge", style: { width: 1.5, "line-color": "#9aa7b5", "target-arrow-color": "#9aa7b5",
    "target-arrow-shape": "triangle", "curve-style": "bezier", "arrow-scale": 0.8 } },
  { selector: "edge[group]", style: { "line-color": "#7d4fd6", "target-arrow-color": "#7d4fd6", "line-style": "dashed",
    width: 2.5, label: "data(group)", "font-size": 9, color: "#5b3fa8", "text-background-color": "#fff",
    "text-background-opacity": 1, "text-rotation": "autorotate" } },
];

export function createGraph(container, { onSelect, onCluster } = {}) {
  const cy = cytoscape({ container, style, minZoom: 0.1, maxZoom: 3,
    boxSelectionEnabled: false, autoungrabify: false });
  cy.on("tap", "node", (e) => {
    const n = e.target;
    if (n.data("cluster")) onCluster?.(n.id(), n.data());
    else onSelect?.(n.data());
  });
  return {
    cy,
    set(nodes, edges, layout = {}) {
      cy.elements().remove();
      cy.add([...nodes.map((data) => ({ group: "nodes", data })), ...edges.map((data) => ({ group: "edges", data }))]);
      cy.layout({ name: "breadthfirst", directed: false, spacingFactor: 1.1, padding: 20, animate: false,
        roots: nodes.filter((n) => n.root || n.failed).map((n) => "#" + CSS.escape(n.id)).join(",") || undefined, ...layout }).run();
    },
    destroy() { cy.destroy(); },
  };
}

// Fold, per parent, the children beyond `shown[parent]` (default FAN) into one cluster node.
// tree: list of {parent, child, ...edgeData}; returns {visible:Set, edges, clusters:[{id, parent, hidden:[...]}]}.
export function fold(tree, shown = {}) {
  const byParent = new Map();
  for (const e of tree) { if (!byParent.has(e.parent)) byParent.set(e.parent, []); byParent.get(e.parent).push(e); }
  const edges = [], clusters = [], hidden = new Set();
  for (const [parent, list] of byParent) {
    const limit = shown[parent] ?? FAN;
    list.slice(0, limit).forEach((e) => edges.push(e));
    if (list.length > limit) {
      const rest = list.slice(limit);
      rest.forEach((e) => hidden.add(e.child));
      clusters.push({ id: `cluster:${parent}:${rest[0].dir || ""}`, parent, dir: rest[0].dir, count: rest.length });
    }
  }
  return { edges, clusters, hidden };
}
