// Hand-made SVG charts (a bar chart of pairs and a line chart): a few dozen lines, no library needed.
import { s, h, money } from "./ui.js";

// Grouped horizontal bars: rows [{label, a, b}] with series names; b drawn over a as a thin bar.
export function pairBars(rows, { a = "Budget", b = "Actual", title } = {}) {
  const w = 640, rowH = 34, left = 170, right = 90, top = 24;
  const max = Math.max(1, ...rows.flatMap((r) => [r.a, r.b]));
  const x = (v) => left + (v / max) * (w - left - right);
  const svg = s("svg", { viewBox: `0 0 ${w} ${top + rows.length * rowH + 8}`, width: "100%", style: "max-width:900px", role: "img", "aria-label": title || `${a} and ${b}` },
    s("title", {}, title || `${a} and ${b}`),
    s("rect", { x: left, y: 4, width: 12, height: 10, fill: "#b8c7d9" }), s("text", { x: left + 16, y: 13 }, a),
    s("rect", { x: left + 90, y: 4, width: 12, height: 10, fill: "#1f4e79" }), s("text", { x: left + 106, y: 13 }, b),
    s("rect", { x: left + 180, y: 4, width: 12, height: 10, fill: "#b42318" }), s("text", { x: left + 196, y: 13 }, `${b} over ${a.toLowerCase()}`),
    rows.map((r, i) => {
      const y = top + i * rowH;
      const over = r.b > r.a;
      return s("g", {},
        s("text", { x: left - 8, y: y + 17, "text-anchor": "end" }, r.label.length > 24 ? r.label.slice(0, 23) + "…" : r.label),
        s("rect", { x: left, y: y + 4, width: Math.max(0, x(r.a) - left), height: 22, fill: "#b8c7d9" }),
        s("rect", { x: left, y: y + 10, width: Math.max(0, x(r.b) - left), height: 10, fill: over ? "#b42318" : "#1f4e79" }),
        s("text", { x: Math.max(x(r.a), x(r.b)) + 6, y: y + 19 }, money(r.b)));
    }));
  return svg;
}

// A line chart of points [{x: label, y: number}] on a fixed y range.
export function lineChart(points, { min = 1, max = 5, title = "trend" } = {}) {
  const w = 420, hgt = 220, l = 30, r = 34, t = 14, b = 30;
  const xs = (i) => l + (points.length <= 1 ? (w - l - r) / 2 : (i * (w - l - r)) / (points.length - 1));
  const ys = (v) => t + ((max - v) * (hgt - t - b)) / (max - min);
  const grid = [];
  for (let v = min; v <= max; v++) grid.push(s("line", { x1: l, x2: w - r, y1: ys(v), y2: ys(v), stroke: "#e3e8ee" }), s("text", { x: l - 8, y: ys(v) + 4, "text-anchor": "end" }, v));
  const path = points.map((p, i) => `${i ? "L" : "M"}${xs(i)},${ys(p.y)}`).join(" ");
  return s("svg", { viewBox: `0 0 ${w} ${hgt}`, width: "100%", role: "img", "aria-label": title },
    s("title", {}, title), grid,
    s("path", { d: path, fill: "none", stroke: "#0b63c5", "stroke-width": 2.5 }),
    points.map((p, i) => [s("circle", { cx: xs(i), cy: ys(p.y), r: 4.5, fill: "#0b63c5" }, s("title", {}, `${p.x}: ${p.y}`)),
      s("text", { x: xs(i), y: hgt - 10, "text-anchor": "middle" }, p.x)]));
}

// A three-column flow (cost items -> services -> customers); links [{from, to, value}] between column nodes.
export function flow(columns, links, { title = "allocation flow" } = {}) {
  const w = 980, colW = 14, gap = 6, top = 28;
  const total = (col) => col.reduce((a, n) => a + n.value, 0);
  const height = 420;
  const pos = new Map();
  columns.forEach((col, ci) => {
    const scale = (height - gap * col.length) / Math.max(1, total(col));
    let y = top;
    const x = 10 + ci * ((w - 240 - colW) / (columns.length - 1));
    for (const n of col) { const hh = Math.max(2, n.value * scale); pos.set(n.id, { x, y, h: hh, out: 0, in: 0, scale, col: ci }); y += hh + gap; }
  });
  const palette = ["#1f4e79", "#0b63c5", "#5b3fa8", "#1a7f37", "#8a5300", "#b42318", "#3b6e8f", "#6b4f2a"];
  const linkEls = links.map((lk, i) => {
    const a = pos.get(lk.from), z = pos.get(lk.to); if (!a || !z) return null;
    const ha = lk.value * a.scale, hz = lk.value * z.scale;
    const y0 = a.y + a.out + ha / 2, y1 = z.y + z.in + hz / 2; a.out += ha; z.in += hz;
    const x0 = a.x + colW, x1 = z.x, mx = (x0 + x1) / 2;
    return s("path", { class: "flow-link", d: `M${x0},${y0} C${mx},${y0} ${mx},${y1} ${x1},${y1}`, stroke: palette[a.col * 3 + (i % 3)] || "#0b63c5",
      "stroke-width": Math.max(1, (ha + hz) / 2) }, s("title", {}, `${lk.fromLabel || lk.from} → ${lk.toLabel || lk.to}: ${money(lk.value)}`));
  });
  const nodeEls = columns.flatMap((col) => col.map((n) => {
    const p = pos.get(n.id);
    return s("g", {}, s("rect", { x: p.x, y: p.y, width: colW, height: p.h, fill: "#1b2430" }, s("title", {}, `${n.label}: ${money(n.value)}`)),
      s("text", { class: "lbl", x: p.x + colW + 4, y: p.y + Math.min(p.h / 2 + 4, p.h + 10) }, `${n.label.length > 26 ? n.label.slice(0, 25) + "…" : n.label} · ${money(n.value)}`));
  }));
  const heads = ["Cost items", "Services", "Customers"].map((t, i) => s("text", { x: 10 + i * ((w - 240 - colW) / 2), y: 14, "font-weight": 700 }, t));
  return s("svg", { viewBox: `0 0 ${w} ${height + top + 10}`, width: "100%", role: "img", "aria-label": title }, s("title", {}, title), heads, linkEls, nodeEls);
}
