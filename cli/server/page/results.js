// Results as tables (spec §4's fields, in its order) with a chart where
// the rows have one: one section per statement.
import { chartFor } from "./chart.js";

// document.createElement with attributes and children (strings are text).
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) node.setAttribute(k, v);
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

// What a result's rows are, from its fields (spec §4, §7).
export function kindOf(fields) {
  const has = (f) => fields.includes(f);
  if (has("vintage")) return "vintages";
  if (has("until")) return "history";
  if (has("to_value")) return "growth";
  if (has("status") && has("recorded")) return "revisions";
  if (has("source_a") && has("value_b") && has("change")) return "diff";
  if (has("source_a")) return "conflicts";
  if (has("period") && has("value") && has("lo") && has("source") && has("reported")) return "values";
  return "other";
}

// Rows a table shows at most (the csv link has them all), and rows a chart
// draws at most (beyond, the marks would only hide one another).
const kShownRows = 2000;
const kChartedRows = 2000;

// Fields that hold figures (right-aligned), and fields that hold a count
// in some results (`show series`) and text in others (`describe`).
const kNumeric = new Set(["value", "lo", "hi", "from_value", "to_value", "value_a", "value_b", "priority"]);
const kCounts = new Set(["periods", "reports"]);

// `x` (a shortest decimal) with two decimals, rounded half away from zero
// ("near"), down or up: on its digits, so 0.29 stays 0.29.
function twoDecimals(x, mode) {
  let s = String(x);
  if (/e/i.test(s)) return x.toFixed(2);
  const negative = s.startsWith("-");
  if (negative) s = s.slice(1);
  const [whole, fraction = ""] = s.split(".");
  const rest = fraction.slice(2);
  let n = BigInt(whole + fraction.slice(0, 2).padEnd(2, "0"));
  const bump = mode === "near" ? rest.length > 0 && rest[0] >= "5"
    : ((mode === "up") !== negative) && /[1-9]/.test(rest);
  if (bump) n += 1n;
  const digits = n.toString().padStart(3, "0");
  return (negative && n !== 0n ? "-" : "") + digits.slice(0, -2) + "." + digits.slice(-2);
}

// lo or hi as the command line's table prints them (spec §3): whole
// numbers for counts, two decimals for ratios, rounded as the value's own
// ends are (a point value half away from zero, else lo down and hi up).
export function boundText(row, field) {
  const x = row[field];
  if (x === null || x === undefined) return "";
  const display = String(row.value ?? "");
  const ratio = display.includes(".");
  if (!ratio) return String(x);
  if (row.lo !== null && row.lo === row.hi) return twoDecimals(x, "near");
  return twoDecimals(x, field === "lo" ? "down" : "up");
}

// The interval of a figure as `conflicts` compares it (spec §2.2): an
// approximate ~v counts as [0.9v, 1.1v].
export function comparedInterval(row) {
  let lo = row.lo ?? -Infinity;
  let hi = row.hi ?? Infinity;
  if (row.approx) {
    lo *= 0.9;
    hi *= 1.1;
  }
  return [lo, hi];
}

// For `by source` value rows: the keys (series + period) whose sources'
// figures cannot all be true, each with its text.
export function conflictsOf(rows) {
  const cells = new Map();
  for (const row of rows) {
    if (row.value === "" || row.lo === undefined) continue;
    const key = row.series + "\u0000" + row.period;
    if (!cells.has(key)) cells.set(key, []);
    cells.get(key).push(row);
  }
  const found = new Map();
  for (const [key, list] of cells) {
    const clashes = [];
    for (let i = 0; i < list.length; i++)
      for (let j = i + 1; j < list.length; j++) {
        const [alo, ahi] = comparedInterval(list[i]);
        const [blo, bhi] = comparedInterval(list[j]);
        if (ahi < blo || bhi < alo)
          clashes.push(`${list[i].source} ${list[i].value} against ${list[j].source} ${list[j].value}`);
      }
    if (clashes.length) found.set(key, clashes.join("; "));
  }
  return found;
}

// A cell the row names, as a selector (`espionage{citizenship="UA"}[2024]`),
// or null for rows of expressions and aggregates.
export function cellOf(row) {
  if (typeof row.series !== "string" || typeof row.period !== "string") return null;
  if (!/^[a-z][a-z0-9_]*(\{.*\})?$/.test(row.series)) return null;
  if (!/^\d{4}(-(H[12]|Q[1-4]|\d{2}))?$/.test(row.period)) return null;
  return `${row.series}[${row.period}]`;
}

function cellText(row, field) {
  const v = row[field];
  if (field === "lo" || field === "hi") return boundText(row, field);
  if (v === null || v === undefined) return "";
  return String(v);
}

// One result's table: a real <table> with a caption and <th scope>.
// opts.cellHref(cell) and opts.openCell(event, cell): value rows link to
// their cell's view; opts.conflicts: keys of conflicting cells;
// opts.conflictSources: sources to mark as conflicting.
export function renderTable(result, caption, opts = {}) {
  const numeric = new Set(result.fields.filter((f) => kNumeric.has(f) ||
    (kCounts.has(f) && result.rows.every((r) => /^\d+$/.test(String(r[f]))))));
  const table = el("table", { class: "rows", "data-kind": kindOf(result.fields) });
  table.append(el("caption", {}, caption));
  const head = el("tr");
  for (const f of result.fields) head.append(el("th", { scope: "col", class: numeric.has(f) ? "num" : null }, f));
  table.append(el("thead", {}, head));
  const body = el("tbody");
  for (const row of result.rows.slice(0, kShownRows)) {
    const tr = el("tr");
    const cell = opts.cellHref ? cellOf(row) : null;
    const key = row.series + "\u0000" + row.period;
    const conflict = (opts.conflicts && opts.conflicts.get(key)) ||
      (opts.conflictSources && opts.conflictSources.has(row.source) && row.status === "current");
    if (conflict) tr.classList.add("conflict");
    for (const f of result.fields) {
      const text = cellText(row, f);
      const td = el("td", { "data-label": f, class: [numeric.has(f) ? "num" : "", "f-" + f].join(" ").trim() });
      const content = el("span", { class: "content" });  // one grid item in the narrow layout
      if (f === "lo" || f === "hi") td.title = row[f] === null ? "unbounded" : String(row[f]);
      if (f === "series" && cell) {
        const a = el("a", { href: opts.cellHref(cell), class: "cell-link", title: `Revisions and history of ${cell}` },
          text);
        a.addEventListener("click", (event) => opts.openCell(event, cell));
        content.append(a);
        tr.classList.add("clickable");
        tr.addEventListener("click", (event) => {
          if (event.target.closest("a")) return;
          if (getSelection().toString()) return;  // selecting text is not a click on the row
          opts.openCell(event, cell);
        });
      } else if ((f === "url" || f === "note") && /^https?:\/\/\S+$/.test(text)) {
        content.append(el("a", { href: text, rel: "noreferrer noopener" }, text));
      } else {
        content.append(text);
      }
      if (conflict && (f === "source" || f === "source_a")) {
        content.append(" ", el("span", { class: "badge conflict-badge", title: typeof conflict === "string" ? conflict : "" },
          "conflict"));
      }
      td.append(content);
      tr.append(td);
    }
    body.append(tr);
  }
  table.append(body);
  return el("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": caption }, table);
}

function statusLine(result) {
  if (result.assert)
    return el("p", { class: `verdict ${result.assert}` }, result.message ?? `assertion ${result.assert}`);
  if (result.check) return el("p", { class: "verdict check" }, result.check);
  return null;
}

// Every result of the json results object, then the checks' plugin
// output, the outcome and the warnings.
export function renderResults(body, opts) {
  const out = document.createDocumentFragment();
  (body.results ?? []).forEach((result, i) => {
    const section = el("section", { class: "result", "aria-labelledby": `result-${i}` });
    section.append(el("h2", { id: `result-${i}` }, el("code", {}, result.statement)));
    const verdict = statusLine(result);
    if (verdict) section.append(verdict);
    if (result.fields) {
      const kind = kindOf(result.fields);
      const count = result.rows.length;
      section.append(el("p", { class: "count" }, count === 0 ? "(no rows)" : `(${count} ${count === 1 ? "row" : "rows"})`));
      const conflicts = kind === "values" ? conflictsOf(result.rows) : new Map();
      const chart = count <= kChartedRows ? chartFor(kind, result.rows, result.statement, conflicts) : null;
      if (chart) section.append(chart);
      if (count > kShownRows)
        section.append(el("p", { class: "count" }, `The table shows the first ${kShownRows} rows; Download CSV has them all.`));
      if (count > 0) section.append(renderTable(result, `Rows of ${result.statement}`, { ...opts, conflicts }));
    }
    out.append(section);
  });
  if (body.check) out.append(el("pre", { class: "plugin-output", "aria-label": "Plugin output" }, body.check));
  if (body.exit_code) out.append(el("p", { class: "outcome" }, `Outcome ${body.outcome}, exit code ${body.exit_code}`));
  if (body.warnings && body.warnings.length) {
    out.append(el("ul", { class: "warnings", "aria-label": "Warnings" }, ...body.warnings.map((w) => el("li", {}, w))));
  }
  return out;
}
