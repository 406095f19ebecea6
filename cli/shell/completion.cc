#include "cli/shell/completion.h"

#include <algorithm>
#include <filesystem>
#include <optional>

#include "cli/options.h"
#include "cli/render.h"
#include "cli/shell/help_topics.h"
#include "cli/shell/meta_commands.h"
#include "query/lexicon.h"
#include "query/resolve.h"
#include "cli/shell/text.h"
#include "storage/archive.h"

namespace docket::cli {
namespace {

namespace fs = std::filesystem;

bool IsWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// The identifier that ends `s` (possibly empty).
std::string_view LastWord(std::string_view s) {
  size_t start = s.size();
  while (start > 0 && IsWordChar(s[start - 1])) --start;
  return s.substr(start);
}

bool StartsWithIgnoringCase(std::string_view text, std::string_view prefix) {
  if (prefix.size() > text.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(text[i]) != lower(prefix[i])) return false;
  }
  return true;
}

// Gathers the words offered for a prefix: the case-sensitive matches if
// there are any, else the case-insensitive ones.
class Matcher {
 public:
  explicit Matcher(std::string_view prefix) : prefix_(prefix) {}
  void Offer(std::string_view word, std::string_view suffix) {
    if (word.starts_with(prefix_)) {
      exact_.push_back({std::string(word), std::string(suffix)});
    } else if (StartsWithIgnoringCase(word, prefix_)) {
      folded_.push_back({std::string(word), std::string(suffix)});
    }
  }
  std::vector<Candidate> Take() {
    std::vector<Candidate> out = exact_.empty() ? std::move(folded_) : std::move(exact_);
    std::stable_sort(out.begin(), out.end(),
                     [](const Candidate& a, const Candidate& b) { return a.text < b.text; });
    out.erase(std::unique(out.begin(), out.end(),
                          [](const Candidate& a, const Candidate& b) { return a.text == b.text; }),
              out.end());
    return out;
  }

 private:
  std::string_view prefix_;
  std::vector<Candidate> exact_, folded_;
};

// The charge written before the brace at `brace`.
std::string_view ChargeBefore(std::string_view line, size_t brace) {
  return LastWord(TrimRight(line.substr(0, brace)));
}

void OfferLabelKeys(const Catalog& catalog, std::string_view charge, Matcher* m) {
  auto offer = [&](const std::map<std::string, std::set<std::string>>& keys) {
    for (const auto& [key, values] : keys) m->Offer(key, "=");
  };
  if (auto it = catalog.labels.find(std::string(charge)); it != catalog.labels.end()) {
    offer(it->second);
  } else {
    for (const auto& [name, keys] : catalog.labels) offer(keys);
  }
}

void OfferLabelValues(const Catalog& catalog, std::string_view charge, std::string_view key,
                      Matcher* m) {
  auto offer = [&](const std::map<std::string, std::set<std::string>>& keys) {
    const auto it = keys.find(std::string(key));
    if (it == keys.end()) return;
    for (const auto& value : it->second) {
      const std::string quoted = QuoteString(value);  // escapes `"` and `\`
      m->Offer(std::string_view(quoted).substr(1, quoted.size() - 2), "\"");
    }
  };
  if (auto it = catalog.labels.find(std::string(charge)); it != catalog.labels.end()) {
    offer(it->second);
  } else {
    for (const auto& [name, keys] : catalog.labels) offer(keys);
  }
}

// Inside `key="…`: the values of that key.
Completion CompleteLabelValue(std::string_view line, const TextState& state,
                              const Catalog& catalog) {
  const size_t start = *state.open_string + 1;
  std::string_view before = TrimRight(line.substr(0, start - 1));
  if (!state.open_brace || !before.ends_with('=')) return {line.size(), {}};
  before.remove_suffix(1);
  const std::string_view key = LastWord(TrimRight(before));
  Matcher m(line.substr(start));
  OfferLabelValues(catalog, ChargeBefore(line, *state.open_brace), key, &m);
  return {start, m.Take()};
}

// The keywords a statement may start with (spec §2.4); a query starts with a
// function or a charge instead.
bool IsStatementKeyword(std::string_view word) {
  static constexpr std::string_view kStarts[] = {"assert",   "changes", "check", "define", "describe",
                                                 "plot",     "record",  "retract", "show"};
  return std::find(std::begin(kStarts), std::end(kStarts), word) != std::end(kStarts);
}

// True when `before` ends with `from` and a comma-separated list of names.
bool AfterFrom(std::string_view before) {
  while (true) {
    before = TrimRight(before);
    if (LastWord(before) == "from") return true;
    if (!before.ends_with(',')) return false;
    before = TrimRight(before.substr(0, before.size() - 1));
    const std::string_view name = LastWord(before);
    if (name.empty()) return false;
    before.remove_suffix(name.size());
  }
}

Completion CompleteWord(std::string_view line, const TextState& state, const Catalog& catalog) {
  const size_t start = line.size() - LastWord(line).size();
  Matcher m(line.substr(start));
  const std::string_view before = TrimRight(line.substr(0, start));
  if (state.open_brace && (before.ends_with('{') || before.ends_with(','))) {
    OfferLabelKeys(catalog, ChargeBefore(line, *state.open_brace), &m);
  } else if (AfterFrom(before)) {
    for (const auto& s : catalog.sources) m.Offer(s, "");
  } else if (LastWord(before) == "series" || LastWord(before) == "describe") {
    for (const auto& c : catalog.charges) m.Offer(c, "");
  } else if (LastWord(before) == "resolve") {
    for (auto rule : {ResolveRule::kLatest, ResolveRule::kPriority, ResolveRule::kConsensus})
      m.Offer(RuleName(rule), "");
  } else if (before.empty() || before.ends_with(';')) {
    // A statement starts with its keyword, or is a query: a function or a charge.
    for (auto k : Keywords())
      if (FindFunction(k) || IsStatementKeyword(k)) m.Offer(k, FindFunction(k) ? "(" : " ");
    for (const auto& c : catalog.charges) m.Offer(c, "");
  } else {
    // Function names are completed with `(`, the other keywords with a space.
    for (auto k : Keywords()) m.Offer(k, FindFunction(k) ? "(" : " ");
    for (const auto& c : catalog.charges) m.Offer(c, "");
    for (const auto& s : catalog.sources) m.Offer(s, "");
  }
  return {start, m.Take()};
}

// Files and directories (with a `/`) whose path starts with `typed`;
// hidden ones only when asked for with a leading dot.
std::vector<Candidate> FileCandidates(std::string_view typed) {
  const size_t slash = typed.rfind('/');
  const std::string dir(slash == std::string_view::npos ? "" : typed.substr(0, slash + 1));
  const std::string_view base = typed.substr(dir.size());
  std::vector<Candidate> out;
  std::error_code ec;
  for (fs::directory_iterator it(dir.empty() ? "." : dir, ec), end; !ec && it != end;
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (!name.starts_with(base) || (name.front() == '.' && !base.starts_with('.'))) continue;
    std::error_code type_ec;
    out.push_back({dir + name + (it->is_directory(type_ec) ? "/" : ""), ""});
  }
  std::sort(out.begin(), out.end(),
            [](const Candidate& a, const Candidate& b) { return a.text < b.text; });
  return out;
}

// A line starting with `\` (at `lead`): the command's name, or its argument.
Completion CompleteMeta(std::string_view line, size_t lead, const Catalog& catalog) {
  const std::string_view command = line.substr(lead);
  const size_t space = command.find_first_of(" \t");
  if (space == std::string_view::npos) {
    Matcher m(command);
    for (const auto& meta : MetaCommands()) m.Offer(meta.name, meta.arg == MetaArg::kNone ? "" : " ");
    return {lead, m.Take()};
  }
  const MetaCommand* meta = FindMeta(command.substr(0, space));
  if (!meta) return {line.size(), {}};
  if (meta->arg == MetaArg::kFile) {
    size_t start = lead + space;
    while (start < line.size() && IsSpace(line[start])) ++start;
    return {start, FileCandidates(line.substr(start))};
  }
  const size_t start = line.find_last_of(" \t") + 1;
  Matcher m(line.substr(start));
  switch (meta->arg) {
    case MetaArg::kFormat:
      for (auto f = static_cast<int>(Format::kTable); f <= static_cast<int>(Format::kMarkdown); ++f)
        m.Offer(FormatName(static_cast<Format>(f)), "");
      break;
    case MetaArg::kOnOff:
    case MetaArg::kExpanded:
      m.Offer("on", "");
      m.Offer("off", "");
      if (meta->arg == MetaArg::kExpanded) m.Offer("auto", "");
      break;
    case MetaArg::kTopic:
      for (const auto& t : HelpTopics()) m.Offer(t.name, "");
      for (const auto& other : MetaCommands()) m.Offer(other.name, "");
      break;
    case MetaArg::kCharge:
      for (const auto& c : catalog.charges) m.Offer(c, "");
      break;
    case MetaArg::kNone:
    case MetaArg::kFile:
      break;
  }
  return {start, m.Take()};
}

}  // namespace

// The catalog of the archive at `db`; empty when it cannot be opened.
Completion Complete(std::string_view line, const Catalog& catalog) {
  const size_t lead = line.find_first_not_of(" \t");
  if (lead != std::string_view::npos && line[lead] == '\\')
    return CompleteMeta(line, lead, catalog);
  const TextState state = StateAtEnd(line);
  if (state.in_comment) return {line.size(), {}};
  if (state.open_string) return CompleteLabelValue(line, state, catalog);
  return CompleteWord(line, state, catalog);
}

}  // namespace docket::cli
