// The cell view: one cell's revisions (every report and correction) and
// its history, with the sources whose current figures conflict marked.
import { chartFor } from "./chart.js";
import { el, renderTable } from "./results.js";

// The statements the view runs for `cell` (a selector of one cell).
export function cellQuery(cell) {
  return `revisions(${cell}); history(${cell}); conflicts(${cell})`;
}

// `body`: the json results of cellQuery(cell); `back` the results' URL;
// openCell(event, null) returns to them.
export function renderCellView(cell, body, back, openCell) {
  const [revisions, history, conflicts] = body.results;
  const sources = new Set();
  const clashes = [];
  for (const c of conflicts.rows) {
    sources.add(c.source_a);
    sources.add(c.source_b);
    clashes.push(`${c.source_a} ${c.value_a} (reported ${c.reported_a}) against ${c.source_b} ${c.value_b} (reported ${c.reported_b})`);
  }
  const view = document.createDocumentFragment();
  const link = el("a", { href: back, class: "back" }, "← Back to the results");
  link.addEventListener("click", (event) => openCell(event, null));
  view.append(el("nav", { "aria-label": "Cell view" }, link));
  view.append(el("h2", { class: "cell-title" }, "Cell ", el("code", {}, cell)));
  if (clashes.length) {
    view.append(el("div", { class: "conflicts", role: "note" }, el("strong", {}, "Sources disagree: "),
      clashes.join("; "), ". Their figures cannot both be true."));
  }
  const historySection = el("section", { class: "result", "aria-labelledby": "cell-history" },
    el("h3", { id: "cell-history" }, "History: the archive's answer through knowledge time"));
  const chart = chartFor("history", history.rows, history.statement);
  if (chart) historySection.append(chart);
  historySection.append(history.rows.length ? renderTable(history, `History of ${cell}`) : el("p", {}, "(no rows)"));
  const revisionSection = el("section", { class: "result", "aria-labelledby": "cell-revisions" },
    el("h3", { id: "cell-revisions" }, "Revisions: every report and correction"));
  revisionSection.append(revisions.rows.length
    ? renderTable(revisions, `Revisions of ${cell}`, { conflictSources: sources })
    : el("p", {}, "(no rows)"));
  view.append(historySection, revisionSection);
  return view;
}
