// Charts in SVG, drawn here (no library): value and growth rows over
// periods, vintages over periods (or over vintages for one cell), history
// as steps over knowledge time. Marks people read without a legend: a dot
// for an exact figure, a hollow dot for an approximate one, a bar fading
// upward for "at least", downward for "at most", a band for a range; a
// line joins only periods that touch. Each mark is a <g class="mark SHAPE">
// with data-series, data-x and data-value, in the order of the rows.

const SVG = "http://www.w3.org/2000/svg";
let chartCount = 0;

function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

// ---------------------------------------------------------------- periods

// A period (spec §1) as [granularity in months, index of its first month
// counted from year 0], or null for anything else (`2024-H1/2024`).
export function parsePeriod(text) {
  const m = /^(\d{4})(?:-(?:H([12])|Q([1-4])|(\d{2})))?$/.exec(text);
  if (!m) return null;
  const year = Number(m[1]);
  if (m[2]) return [6, year * 12 + (Number(m[2]) - 1) * 6];
  if (m[3]) return [3, year * 12 + (Number(m[3]) - 1) * 3];
  if (m[4]) return [1, year * 12 + Number(m[4]) - 1];
  return [12, year * 12];
}

// Spec §4's order: by first day, longer first; others after, as text.
export function comparePeriods(a, b) {
  const pa = parsePeriod(a), pb = parsePeriod(b);
  if (pa && pb) return pa[1] - pb[1] || pb[0] - pa[0];
  if (pa || pb) return pa ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

// True when b starts the day after a ends (2023 and 2024; 2024-Q4 and 2025-Q1).
function touch(a, b) {
  const pa = parsePeriod(a), pb = parsePeriod(b);
  return !!pa && !!pb && pa[0] === pb[0] && pa[1] + pa[0] === pb[1];
}

// ---------------------------------------------------------------- marks

// How a row's value reads (spec §3): exact, lower, upper, range,
// unbounded, or none (an empty value); approx apart.
export function shapeOf(row) {
  const text = String(row.value ?? "").replace(/^~/, "");
  if (text === "") return "none";
  if (text === "?") return "unbounded";
  if (text.startsWith(">=")) return "lower";
  if (text.startsWith("<=")) return "upper";
  if (text.includes("..")) return "range";
  return "exact";
}

// The y where a line meets a mark: the figure, or the bound's finite end.
function anchor(row, shape) {
  if (shape === "lower") return row.lo;
  if (shape === "upper") return row.hi;
  if (shape === "range") return (row.lo + row.hi) / 2;
  return row.lo;
}

// ---------------------------------------------------------------- scales

function niceStep(span) {
  const raw = span / 5;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const f of [1, 2, 2.5, 5, 10]) if (f * power >= raw) return f * power;
  return 10 * power;
}

function yScale(rows, top, bottom) {
  let min = 0, max = 0;
  for (const r of rows)
    for (const v of [r.lo, r.hi]) if (typeof v === "number" && isFinite(v)) { min = Math.min(min, v); max = Math.max(max, v); }
  if (max === min) max = min + 1;
  const step = niceStep(max - min);
  min = Math.floor(min / step) * step;
  max = Math.ceil((max * 1.08) / step) * step;
  const y = (v) => bottom - ((v - min) / (max - min)) * (bottom - top);
  const ticks = [];
  for (let t = min; t <= max + step / 2; t += step) ticks.push(Number(t.toFixed(10)));
  return { y, ticks, min, max };
}

function tickText(v) {
  return Math.abs(v) >= 1e6 ? v.toExponential(1) : String(Number(v.toFixed(2)));
}

// ---------------------------------------------------------------- the model

// Groups (lines) of points: each point {x, row}. kind: values, growth,
// vintages; x is a category (a period, or a vintage).
function groupsOf(kind, rows) {
  const xOf = { values: (r) => r.period, growth: (r) => r.to, vintages: (r) => r.period }[kind];
  let groupOf = (r) => r.series;
  let x = xOf;
  if (kind === "vintages") {
    const bySource = new Set(rows.map((r) => `${r.series}\u0000${r.period}\u0000${r.vintage}`)).size < rows.length;
    if (new Set(rows.map((r) => r.period)).size > 1) {
      // The revision triangle: one line per vintage over the periods.
      groupOf = (r) => `${r.series} as of ${r.vintage}${bySource ? " · " + r.source : ""}`;
    } else {
      // One period: each series' figure through the vintages.
      x = (r) => r.vintage;
      groupOf = (r) => `${r.series}[${r.period}]${bySource ? " · " + r.source : ""}`;
    }
  } else {
    const seen = new Set();
    let bySource = false;
    for (const r of rows) {
      const key = r.series + "\u0000" + x(r);
      if (seen.has(key)) bySource = true;
      seen.add(key);
    }
    if (bySource) groupOf = (r) => `${r.series} · ${r.source}`;
  }
  const groups = new Map();
  for (const r of rows) {
    const g = groupOf(r);
    if (!groups.has(g)) groups.set(g, []);
    groups.get(g).push({ x: x(r), row: r });
  }
  const categories = [...new Set(rows.map(x))];
  if (!(kind === "vintages" && x !== xOf)) categories.sort(comparePeriods);
  return { groups, categories, vintageAxis: x !== xOf };
}

function describe(label, x, row) {
  const from = row.source ? ` (${row.source}${row.reported ? ", reported " + row.reported : ""})` : "";
  return `${label}, ${x}: ${row.value === "" ? "no figure" : row.value}${from}`;
}

// ---------------------------------------------------------------- drawing

// The frame every chart shares: the svg with its title and description,
// gradients per group, the y axis and its grid.
function frame(statement, labels, figures, rows, width, height, margin) {
  const id = `chart-${++chartCount}`;
  const root = svg("svg", {
    class: "chart", width, height, viewBox: `0 0 ${width} ${height}`, role: "img",
    "aria-labelledby": `${id}-title ${id}-desc`, id,
  });
  root.append(svg("title", { id: `${id}-title` }, `Chart of ${statement}`));
  root.append(svg("desc", { id: `${id}-desc` }, figures.join("; ") || "no figures"));
  const defs = svg("defs");
  labels.forEach((_, i) => {
    const color = `var(--c${i % 8})`;
    for (const [dir, y1, y2] of [["up", 1, 0], ["down", 0, 1]])
      defs.append(svg("linearGradient", { id: `${id}-${dir}-${i}`, x1: 0, y1, x2: 0, y2 },
        svg("stop", { offset: 0, style: `stop-color:${color};stop-opacity:0.85` }),
        svg("stop", { offset: 1, style: `stop-color:${color};stop-opacity:0` })));
  });
  root.append(defs);
  const scale = yScale(rows, margin.top, height - margin.bottom);
  const axis = svg("g", { class: "axis y-axis", "aria-hidden": "true" });
  for (const t of scale.ticks) {
    const y = scale.y(t);
    axis.append(svg("line", { x1: margin.left, x2: width - margin.right, y1: y, y2: y, class: t === 0 ? "zero" : "grid" }));
    axis.append(svg("text", { x: margin.left - 6, y: y + 4, "text-anchor": "end" }, tickText(t)));
  }
  root.append(axis);
  return { root, id, scale };
}

// One figure at (cx, scale) of group i: the shape's mark.
function mark(ctx, i, cx, row, label, x) {
  const { id, scale, top, bottom, barWidth } = ctx;
  const shape = shapeOf(row);
  const classes = ["mark", shape];
  if (row.approx) classes.push("approx");
  if (ctx.conflicts && ctx.conflicts.has(row.series + "\u0000" + row.period)) classes.push("conflict");
  const g = svg("g", {
    class: classes.join(" "), "data-series": label, "data-x": x, "data-value": row.value,
    style: `--c:var(--c${i % 8})`,
  });
  g.append(svg("title", {}, describe(label, x, row)));
  const half = barWidth / 2;
  const zero = scale.y(Math.max(0, scale.min));
  if (shape === "exact") {
    g.append(svg("circle", { cx, cy: scale.y(row.lo), r: 4.5, class: row.approx ? "dot hollow" : "dot" }));
  } else if (shape === "lower") {
    const y = scale.y(row.lo);
    g.append(svg("rect", { x: cx - half, y: top, width: barWidth, height: Math.max(0, y - top), fill: `url(#${id}-up-${i})` }));
    g.append(svg("line", { x1: cx - half, x2: cx + half, y1: y, y2: y, class: "bound-line" }));
  } else if (shape === "upper") {
    const y = scale.y(row.hi);
    g.append(svg("rect", { x: cx - half, y, width: barWidth, height: Math.max(0, zero - y), fill: `url(#${id}-down-${i})` }));
    g.append(svg("line", { x1: cx - half, x2: cx + half, y1: y, y2: y, class: "bound-line" }));
  } else if (shape === "range") {
    const y1 = scale.y(row.hi), y2 = scale.y(row.lo);
    g.append(svg("rect", { x: cx - half, y: y1, width: barWidth, height: Math.max(1, y2 - y1), class: "band" }));
  } else if (shape === "unbounded") {
    g.append(svg("text", { x: cx, y: top + 12, "text-anchor": "middle", class: "unknown" }, "?"));
  }
  if (ctx.labelled && shape !== "none" && shape !== "unbounded")
    g.append(svg("text", { x: cx + Math.max(half, 5) + 3, y: scale.y(anchor(row, shape)) + 4, class: "value-label" },
      row.value));
  return g;
}

function legend(labels) {
  const list = document.createElement("ul");
  list.className = "legend";
  labels.forEach((label, i) => {
    const item = document.createElement("li");
    item.style.setProperty("--c", `var(--c${i % 8})`);
    item.append(Object.assign(document.createElement("span"), { className: "swatch" }), label);
    list.append(item);
  });
  return list;
}

function figureOf(root, labels, note) {
  const figure = document.createElement("figure");
  figure.className = "chart-figure";
  const scroll = document.createElement("div");
  scroll.className = "chart-scroll";
  scroll.append(root);
  figure.append(scroll);
  const caption = document.createElement("figcaption");
  caption.append(legend(labels));
  if (note) caption.append(Object.assign(document.createElement("p"), { className: "chart-note", textContent: note }));
  figure.append(caption);
  return figure;
}

function chartWidth() {
  const main = document.querySelector("main");
  return Math.max(320, Math.min(1100, (main ? main.clientWidth : 640) - 4));
}

const kMarksNote = "● exact   ○ approximate (~)   bar fading upward: at least   bar fading downward: at most";

// Value, growth and vintages rows over categories.
function categoryChart(kind, rows, statement, conflicts) {
  const drawn = rows.filter((r) => shapeOf(r) !== "none" || kind === "vintages");
  const { groups, categories, vintageAxis } = groupsOf(kind, drawn);
  if (categories.length === 0) return null;
  const labels = [...groups.keys()];
  const width = chartWidth(), height = 280;
  const margin = { top: 16, right: 16, bottom: 44, left: 52 };
  const figures = [];
  for (const [label, points] of groups) for (const p of points) figures.push(describe(label, p.x, p.row));
  const { root, id, scale } = frame(statement, labels, figures, drawn, width, height, margin);
  const band = (width - margin.left - margin.right) / categories.length;
  const slot = Math.min(band * 0.7 / labels.length, 22);
  // Figures written beside their marks while there is room for them.
  const labelled = drawn.length * 40 <= width - margin.left - margin.right;
  const ctx = { id, scale, top: margin.top, bottom: height - margin.bottom, barWidth: Math.max(4, slot * 0.8), conflicts,
    labelled };
  const xOf = (x, i) => margin.left + band * (categories.indexOf(x) + 0.5) + (i - (labels.length - 1) / 2) * slot;

  const xAxis = svg("g", { class: "axis x-axis", "aria-hidden": "true" });
  const every = Math.max(1, Math.ceil(categories.length * 64 / (width - margin.left - margin.right)));
  categories.forEach((c, k) => {
    if (k % every) return;
    xAxis.append(svg("text", { x: margin.left + band * (k + 0.5), y: height - margin.bottom + 18, "text-anchor": "middle" }, c));
  });
  root.append(xAxis);

  // Conflicts: a mark above the period where sources disagree.
  for (const c of categories) {
    const clash = [...conflicts.entries()].filter(([key]) => key.split("\u0000")[1] === c);
    if (!clash.length) continue;
    const cx = margin.left + band * (categories.indexOf(c) + 0.5);
    root.append(svg("g", { class: "conflict-mark", "data-x": c },
      svg("title", {}, `Sources disagree on ${c}: ${clash.map(([, t]) => t).join("; ")}`),
      svg("line", { x1: cx, x2: cx, y1: margin.top, y2: height - margin.bottom, class: "conflict-rule" }),
      svg("text", { x: cx, y: height - margin.bottom + 34, "text-anchor": "middle", class: "conflict-text" }, "≠ conflict")));
  }

  const lines = svg("g", { class: "lines" });
  const marks = svg("g", { class: "marks" });
  labels.forEach((label, i) => {
    const points = groups.get(label);
    for (let k = 1; k < points.length; k++) {
      const a = points[k - 1], b = points[k];
      const sa = shapeOf(a.row), sb = shapeOf(b.row);
      if (sa === "none" || sb === "none" || sa === "unbounded" || sb === "unbounded") continue;
      if (!vintageAxis && !touch(a.x, b.x)) continue;
      const dashed = sa !== "exact" || sb !== "exact";
      lines.append(svg("line", {
        x1: xOf(a.x, i), y1: scale.y(anchor(a.row, sa)), x2: xOf(b.x, i), y2: scale.y(anchor(b.row, sb)),
        class: dashed ? "link dashed" : "link", style: `--c:var(--c${i % 8})`,
      }));
    }
  });
  // Marks in the order of the rows.
  for (const row of drawn) {
    if (shapeOf(row) === "none") continue;
    for (const [i, label] of labels.entries()) {
      const p = groups.get(label).find((q) => q.row === row);
      if (p) marks.append(mark(ctx, i, xOf(p.x, i), row, label, p.x));
    }
  }
  root.append(lines, marks);
  return figureOf(root, labels, kMarksNote);
}

// Days since 1970 of `YYYY-MM-DD`.
function day(text) {
  return Date.parse(text + "T00:00:00Z") / 86400000;
}

// History rows: for each cell, steps over knowledge time.
function historyChart(rows, statement) {
  if (rows.length === 0) return null;
  const groups = new Map();
  for (const r of rows) {
    const g = `${r.series}[${r.period}]`;
    if (!groups.has(g)) groups.set(g, []);
    groups.get(g).push(r);
  }
  const labels = [...groups.keys()];
  const starts = rows.map((r) => day(r.from));
  const first = Math.min(...starts);
  const lastFrom = Math.max(...starts, ...rows.filter((r) => r.until).map((r) => day(r.until) + 1));
  const end = lastFrom + Math.max(30, (lastFrom - first) * 0.15);
  const width = chartWidth(), height = 280;
  const margin = { top: 16, right: 16, bottom: 44, left: 52 };
  const figures = rows.map((r) => `${r.series}[${r.period}] from ${r.from}${r.until ? " until " + r.until : ""}: ` +
    `${r.value === "" ? "no figure" : r.value}${r.source ? " (" + r.source + ", reported " + r.reported + ")" : ""}`);
  const { root, id, scale } = frame(statement, labels, figures, rows, width, height, margin);
  const x = (d) => margin.left + ((d - first) / (end - first || 1)) * (width - margin.left - margin.right);

  // Years (or months, for less than two years) on the x axis.
  const xAxis = svg("g", { class: "axis x-axis", "aria-hidden": "true" });
  const startYear = new Date(first * 86400000).getUTCFullYear();
  const endYear = new Date(end * 86400000).getUTCFullYear();
  const monthly = end - first < 730;
  const ticks = [];
  for (let y = startYear; y <= endYear; y++)
    for (let m = 0; m < 12; m += monthly ? 3 : 12) ticks.push([Date.UTC(y, m, 1) / 86400000, monthly ? `${y}-${String(m + 1).padStart(2, "0")}` : String(y)]);
  const every = Math.max(1, Math.ceil(ticks.length * 70 / (width - margin.left - margin.right)));
  ticks.filter(([d]) => d >= first && d <= end).forEach(([d, text], k) => {
    if (k % every) return;
    xAxis.append(svg("line", { x1: x(d), x2: x(d), y1: height - margin.bottom, y2: height - margin.bottom + 5 }));
    xAxis.append(svg("text", { x: x(d), y: height - margin.bottom + 18, "text-anchor": "middle" }, text));
  });
  root.append(xAxis);

  const lines = svg("g", { class: "lines" });
  const marks = svg("g", { class: "marks" });
  labels.forEach((label, i) => {
    const list = groups.get(label);
    list.forEach((r, k) => {
      const shape = shapeOf(r);
      const x1 = x(day(r.from));
      const x2 = x(r.until ? day(r.until) + 1 : end);
      const classes = ["mark", "step", shape];
      if (r.approx) classes.push("approx");
      const g = svg("g", { class: classes.join(" "), "data-series": label, "data-x": r.from, "data-value": r.value,
        style: `--c:var(--c${i % 8})` });
      g.append(svg("title", {}, figures[rows.indexOf(r)]));
      const top = margin.top, zero = scale.y(Math.max(0, scale.min));
      if (shape === "exact") {
        g.append(svg("line", { x1, x2, y1: scale.y(r.lo), y2: scale.y(r.lo), class: r.approx ? "step-line dashed" : "step-line" }));
      } else if (shape === "lower") {
        const y = scale.y(r.lo);
        g.append(svg("rect", { x: x1, y: top, width: Math.max(1, x2 - x1), height: Math.max(0, y - top), fill: `url(#${id}-up-${i})` }));
        g.append(svg("line", { x1, x2, y1: y, y2: y, class: "bound-line" }));
      } else if (shape === "upper") {
        const y = scale.y(r.hi);
        g.append(svg("rect", { x: x1, y, width: Math.max(1, x2 - x1), height: Math.max(0, zero - y), fill: `url(#${id}-down-${i})` }));
        g.append(svg("line", { x1, x2, y1: y, y2: y, class: "bound-line" }));
      } else if (shape === "range") {
        const y1 = scale.y(r.hi), y2 = scale.y(r.lo);
        g.append(svg("rect", { x: x1, y: y1, width: Math.max(1, x2 - x1), height: Math.max(1, y2 - y1), class: "band" }));
      } else {
        g.append(svg("line", { x1, x2, y1: zero, y2: zero, class: "step-line none" }));
      }
      if (shape !== "none" && shape !== "unbounded")
        g.append(svg("text", { x: x1 + 4, y: scale.y(anchor(r, shape)) - 6, class: "value-label" }, r.value));
      marks.append(g);
      const next = list[k + 1];
      if (next && shape !== "none" && shapeOf(next) !== "none" && shape !== "unbounded" && shapeOf(next) !== "unbounded") {
        const xs = x(day(next.from));
        lines.append(svg("line", { x1: xs, x2: xs, y1: scale.y(anchor(r, shape)), y2: scale.y(anchor(next, shapeOf(next))),
          class: "link dashed", style: `--c:var(--c${i % 8})` }));
      }
    });
  });
  root.append(lines, marks);
  return figureOf(root, labels, "Each step: the archive's answer from that day on. " + kMarksNote);
}

// The chart of a result, or null when its rows have none.
export function chartFor(kind, rows, statement, conflicts = new Map()) {
  if (!rows.length) return null;
  if (kind === "history") return historyChart(rows, statement);
  if (kind === "values" || kind === "growth" || kind === "vintages") return categoryChart(kind, rows, statement, conflicts);
  return null;
}
