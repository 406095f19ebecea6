// The page (spec §8): the query box, the results and the cell view, with
// the query in the URL (/?q=…, and &cell=SELECTOR for a cell's view).
import { QueryBox } from "./query_box.js";
import { renderResults, el } from "./results.js";
import { renderCellView, cellQuery } from "./cell_view.js";

const $ = (id) => document.getElementById(id);

// The statements as one shell word: single quotes, each ' written '\''.
export function shellQuote(text) {
  return "'" + text.replaceAll("'", "'\\''") + "'";
}

function queryUrl(q, format) {
  return "/api/v1/query?q=" + encodeURIComponent(q) + "&format=" + format;
}

function pageUrl(q, cell) {
  const params = new URLSearchParams();
  if (q) params.set("q", q);
  if (cell) params.set("cell", cell);
  const search = params.toString();
  return search ? "/?" + search : "/";
}

// The json results object, or {error: …} also when the server's answer is
// not json (a proxy's error page, a dropped connection).
async function runQuery(q) {
  try {
    const response = await fetch(queryUrl(q, "json"));
    try {
      return await response.json();
    } catch {
      return { error: { message: `the server answered ${response.status} ${response.statusText}` } };
    }
  } catch (e) {
    return { error: { message: `the server did not answer: ${e.message}` } };
  }
}

function setStatus(text) {
  $("status").textContent = text;
}

// The error object of spec §8: its message, the line with a caret under
// the spot, and the suggestion as a button that puts it in the query.
function showError(error, q) {
  const section = $("error");
  section.replaceChildren();
  const box = el("div", { class: "error-box", role: "alert" });
  const where = error.line ? `line ${error.line}, column ${error.column}: ` : "";
  box.append(el("p", { class: "error-message" }, `docket: ${where}${error.message}`));
  if (error.context !== undefined && error.column) {
    const chars = Array.from(error.context);
    const at = error.column - 1;
    const pad = chars.slice(0, at).map((c) => (c === "\t" ? "\t" : " ")).join("");
    const line = el("code", {}, chars.slice(0, at).join(""), el("mark", { class: "spot" }, chars[at] ?? " "),
      chars.slice(at + 1).join(""));
    box.append(el("pre", { class: "error-context", "aria-label": `the spot is at column ${error.column}` },
      line, "\n", el("span", { class: "caret", "aria-hidden": "true" }, pad + "^")));
  }
  if (error.suggestion) {
    const button = el("button", { type: "button", class: "suggestion" }, error.suggestion);
    button.addEventListener("click", () => {
      const fixed = replaceWordAt(q, error.line, error.column, error.suggestion);
      box_.value = fixed;
      go(fixed, null, true);
    });
    box.append(el("p", { class: "did-you-mean" }, "Did you mean ", button, "?"));
  }
  section.append(box);
  section.hidden = false;
}

// `text` with the word at LINE:COLUMN (characters, 1-based) replaced.
function replaceWordAt(text, line, column, word) {
  const lines = text.split("\n");
  const chars = Array.from(lines[line - 1] ?? "");
  const rest = chars.slice(column - 1).join("");
  const old = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
  if (!old) return text;
  lines[line - 1] = chars.slice(0, column - 1).join("") + word + rest.slice(old[0].length);
  return lines.join("\n");
}

function updateQueryLinks(q) {
  $("command").textContent = q ? "docket -e " + shellQuote(q) : "";
  $("download-csv").href = queryUrl(q, "csv");
  $("copy-command").disabled = !q;
  document.title = q ? `${q.length > 60 ? q.slice(0, 57) + "…" : q} · docket` : "docket";
}

let generation = 0;  // a newer go() wins over a slower answer to an older one

// Shows the results of `q`, or with `cell` the cell's view; `push` adds
// the state to the browser's history.
async function go(q, cell, push) {
  const mine = ++generation;
  if (push) history.pushState(null, "", pageUrl(q, cell));
  updateQueryLinks(q);
  $("error").hidden = true;
  if (!q && !cell) {
    $("results").replaceChildren();
    $("cell-view").hidden = true;
    $("results").hidden = false;
    return;
  }
  setStatus("Running…");
  const body = await runQuery(cell ? cellQuery(cell) : q);
  if (mine !== generation) return;
  if (body.error) {
    setStatus("Error");
    showError(body.error, cell ? cellQuery(cell) : q);
    $("results").replaceChildren();
    $("cell-view").hidden = true;
    return;
  }
  if (cell) {
    const view = $("cell-view");
    view.replaceChildren(renderCellView(cell, body, pageUrl(q, null), openCell));
    view.hidden = false;
    $("results").hidden = true;
    setStatus(`Cell ${cell}`);
    view.focus({ preventScroll: true });
  } else {
    $("results").replaceChildren(renderResults(body, { cellHref: (c) => pageUrl(q, c), openCell }));
    $("results").hidden = false;
    $("cell-view").hidden = true;
    const rows = (body.results ?? []).reduce((n, r) => n + (r.rows ? r.rows.length : 0), 0);
    setStatus(`${rows} ${rows === 1 ? "row" : "rows"}`);
  }
  document.body.dataset.state = cell ? "cell" : "results";
}

// Opens a cell's view from a link of the results (or goes back from it).
function openCell(event, cell) {
  if (event.button > 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;  // a new tab
  event.preventDefault();
  go(currentQuery(), cell, true);
}

function currentQuery() {
  return new URLSearchParams(location.search).get("q") ?? "";
}

function fromLocation() {
  const params = new URLSearchParams(location.search);
  const q = params.get("q") ?? "";
  box_.value = q;
  go(q, params.get("cell"), false);
}

let box_;

function start() {
  box_ = new QueryBox($("query"), $("completions"), {
    run: (q) => {
      if (!q.trim()) return;
      box_.remember(q);
      go(q, null, true);
    },
  });
  $("query-form").addEventListener("submit", (event) => {
    event.preventDefault();
    box_.submit();
  });
  $("copy-command").addEventListener("click", async () => {
    const text = $("command").textContent;
    try {
      await navigator.clipboard.writeText(text);
      setStatus("Command copied");
    } catch {
      // Not a secure context: select the text for the reader to copy.
      getSelection().selectAllChildren($("command"));
      setStatus("Command selected: copy it with Ctrl+C");
    }
  });
  fetch("/api/v1/names").then((r) => (r.ok ? r.json() : null)).then((names) => names && box_.setNames(names))
    .catch(() => {});
  addEventListener("popstate", fromLocation);
  fromLocation();
}

start();
