// The query box: Enter runs, Shift+Enter is a new line, ↑/↓ on the first
// or last line walk the history (kept in localStorage), and a list of
// completions from GET /api/v1/names follows the word being typed.

const kHistoryKey = "docket.history";
const kHistoryMax = 200;
const kShown = 12;  // completions listed at most

function loadHistory() {
  try {
    const list = JSON.parse(localStorage.getItem(kHistoryKey) ?? "[]");
    return Array.isArray(list) ? list.filter((q) => typeof q === "string") : [];
  } catch {
    return [];
  }
}

// What the word before the cursor may become, from `names` (the json of
// /api/v1/names): label values inside `key="…`, label keys inside braces,
// sources after `from`, else charges, functions, keywords and sources.
// Case-sensitive prefix matches, else case-insensitive ones.
export function completionsFor(before, names) {
  if (!names) return { start: before.length, items: [] };
  const value = /([a-z][a-z0-9_]*)\{[^{}]*?\b([a-z][a-z0-9_]*)\s*=\s*"([^"\\]*)$/.exec(before);
  if (value) {
    const values = names.labels?.[value[1]]?.[value[2]] ?? [];
    return pick(before.length - value[3].length, value[3], values.map((v) => ({ text: v, suffix: '"' })));
  }
  const word = /[A-Za-z_][A-Za-z0-9_]*$/.exec(before);
  const prefix = word ? word[0] : "";
  const start = before.length - prefix.length;
  const head = before.slice(0, start);
  if ((head.match(/"/g) ?? []).length % 2 === 1 || /--[^\n]*$/.test(head)) return { start, items: [] };
  const brace = /([a-z][a-z0-9_]*)\{([^{}]*)$/.exec(head);
  if (brace) {
    const keys = Object.keys(names.labels?.[brace[1]] ?? {});
    return pick(start, prefix, keys.map((k) => ({ text: k, suffix: "=" })));
  }
  if (!prefix) return { start, items: [] };
  if (/\bfrom\s+([A-Za-z_][A-Za-z0-9_]*\s*,\s*)*$/.test(head))
    return pick(start, prefix, names.sources.map((s) => ({ text: s, suffix: "" })));
  return pick(start, prefix, [
    ...names.charges.map((c) => ({ text: c, suffix: "", kind: "charge" })),
    ...names.functions.map((f) => ({ text: f, suffix: "(", kind: "function" })),
    ...names.keywords.map((k) => ({ text: k, suffix: " ", kind: "keyword" })),
    ...names.sources.map((s) => ({ text: s, suffix: "", kind: "source" })),
  ]);
}

function pick(start, prefix, candidates) {
  let items = candidates.filter((c) => c.text.startsWith(prefix));
  if (!items.length) {
    const lower = prefix.toLowerCase();
    items = candidates.filter((c) => c.text.toLowerCase().startsWith(lower));
  }
  const seen = new Set();
  items = items.filter((c) => !seen.has(c.text) && seen.add(c.text));
  if (items.length === 1 && items[0].text === prefix) items = [];
  return { start, items: items.slice(0, kShown) };
}

export class QueryBox {
  // `area` a textarea, `list` the listbox for completions; opts.run(text)
  // runs the statements.
  constructor(area, list, opts) {
    this.area = area;
    this.list = list;
    this.run = opts.run;
    this.names = null;
    this.history = loadHistory();
    this.position = this.history.length;  // history.length: the draft
    this.draft = "";
    this.completion = { start: 0, items: [] };
    this.active = -1;
    area.addEventListener("keydown", (e) => this.onKey(e));
    area.addEventListener("input", () => {
      this.fit();
      this.complete();
    });
    area.addEventListener("blur", () => this.close());
    list.addEventListener("mousedown", (e) => {
      const option = e.target.closest("[role=option]");
      if (!option) return;
      e.preventDefault();  // keep the focus in the box
      this.accept(Number(option.dataset.index));
    });
  }

  get value() {
    return this.area.value;
  }

  set value(text) {
    this.area.value = text;
    this.fit();
  }

  setNames(names) {
    this.names = names;
  }

  submit() {
    this.close();
    this.run(this.area.value);
  }

  // Keeps `q` as the newest entry of the history (once in a row).
  remember(q) {
    if (this.history[this.history.length - 1] !== q) this.history.push(q);
    if (this.history.length > kHistoryMax) this.history.splice(0, this.history.length - kHistoryMax);
    this.position = this.history.length;
    try {
      localStorage.setItem(kHistoryKey, JSON.stringify(this.history));
    } catch {
      // Storage full or refused: the history lasts as long as the page.
    }
  }

  // The box as tall as its lines (up to a limit; CSS caps it).
  fit() {
    this.area.rows = Math.min(12, Math.max(2, this.area.value.split("\n").length));
  }

  onKey(e) {
    if (e.isComposing) return;
    const open = !this.list.hidden;
    if (open && (e.key === "ArrowDown" || e.key === "ArrowUp")) {
      e.preventDefault();
      const n = this.completion.items.length;
      this.select(e.key === "ArrowDown" ? (this.active + 1) % n : (this.active - 1 + n) % n);
      return;
    }
    if (open && e.key === "Escape") {
      e.preventDefault();
      this.close();
      return;
    }
    if (open && (e.key === "Tab" || (e.key === "Enter" && this.active >= 0)) && !e.shiftKey) {
      e.preventDefault();
      this.accept(Math.max(0, this.active));
      return;
    }
    if (e.key === "Enter" && !e.shiftKey) {
      e.preventDefault();
      this.submit();
      return;
    }
    const { selectionStart: at, selectionEnd: end, value } = this.area;
    if (e.key === "ArrowUp" && at === end && !value.slice(0, at).includes("\n")) {
      // The newest entry when it is what the box shows (the query just run) is skipped.
      let to = this.position - 1;
      if (this.position === this.history.length && this.history[to] === value) --to;
      if (to < 0) return;
      e.preventDefault();
      if (this.position === this.history.length) this.draft = value;
      this.position = to;
      this.show(this.history[to], true);
    } else if (e.key === "ArrowDown" && at === end && !value.slice(at).includes("\n") &&
               this.position < this.history.length) {
      e.preventDefault();
      ++this.position;
      this.show(this.position === this.history.length ? this.draft : this.history[this.position], false);
    }
  }

  // Shows a history entry: the caret at the end of its first line when
  // walking up (so ↑ goes on walking), else at its end.
  show(text, up) {
    this.value = text;
    const at = up && text.includes("\n") ? text.indexOf("\n") : text.length;
    this.area.setSelectionRange(at, at);
    this.close();
  }

  complete() {
    const at = this.area.selectionStart;
    if (at !== this.area.selectionEnd) return this.close();
    this.completion = completionsFor(this.area.value.slice(0, at), this.names);
    if (!this.completion.items.length) return this.close();
    this.list.replaceChildren(...this.completion.items.map((c, i) => {
      const li = document.createElement("li");
      li.id = `completion-${i}`;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.dataset.index = String(i);
      li.textContent = c.text;
      if (c.kind) li.append(Object.assign(document.createElement("span"), { className: "kind", textContent: c.kind }));
      return li;
    }));
    this.active = -1;
    this.list.hidden = false;
    this.area.setAttribute("aria-expanded", "true");
    this.area.removeAttribute("aria-activedescendant");
  }

  select(i) {
    this.active = i;
    for (const li of this.list.children) li.setAttribute("aria-selected", String(Number(li.dataset.index) === i));
    this.area.setAttribute("aria-activedescendant", `completion-${i}`);
    this.list.children[i]?.scrollIntoView({ block: "nearest" });
  }

  accept(i) {
    const c = this.completion.items[i];
    if (!c) return this.close();
    const { value, selectionStart: at } = this.area;
    const text = c.text + c.suffix;
    this.value = value.slice(0, this.completion.start) + text + value.slice(at);
    const cursor = this.completion.start + text.length;
    this.area.setSelectionRange(cursor, cursor);
    this.close();
  }

  close() {
    this.list.hidden = true;
    this.active = -1;
    this.area.setAttribute("aria-expanded", "false");
    this.area.removeAttribute("aria-activedescendant");
  }
}
