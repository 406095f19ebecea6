#include "query/lexicon.h"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "storage/archive.h"

namespace docket {
namespace {

// Spec §2 and §7, in byte order.
constexpr std::array<std::string_view, 46> kKeywords = {
    "article",  "as",        "assert",   "by",      "change",   "changes",  "charge",
    "charges",  "check",     "conflicts", "consensus", "count",  "crit",     "define",
    "describe", "diff",      "else",     "first",   "from",     "growth",   "history",
    "lag",      "latest",    "max",      "min",     "note",     "of",       "on",
    "pct",      "plot",      "priority", "record",  "recorded", "resolve",  "retract",
    "revisions", "series",   "show",     "since",   "source",   "sources",  "sum",
    "title",    "url",       "vintages", "warn"};


constexpr bool Sorted(std::span<const std::string_view> words) {
  for (size_t i = 1; i < words.size(); ++i)
    if (!(words[i - 1] < words[i])) return false;
  return true;
}
static_assert(Sorted(kKeywords), "kKeywords is searched by binary search");

using ast::Func;
constexpr std::array<Function, 14> kFunctions = {{
    {"change", Func::kChange, FuncKind::kGrowthFamily, ArgShape::kSelectorPeriodsOrRange},
    {"conflicts", Func::kConflicts, FuncKind::kWholeStatement, ArgShape::kSelector},
    {"count", Func::kCount, FuncKind::kAggregate, ArgShape::kSelector},
    {"diff", Func::kDiff, FuncKind::kWholeStatement, ArgShape::kSelectorCutoffs},
    {"first", Func::kFirst, FuncKind::kValue, ArgShape::kSelector},
    {"growth", Func::kGrowth, FuncKind::kGrowthFamily, ArgShape::kSelectorPeriodsOrRange},
    {"history", Func::kHistory, FuncKind::kWholeStatement, ArgShape::kSelector},
    {"lag", Func::kLag, FuncKind::kValue, ArgShape::kSelector},
    {"max", Func::kMax, FuncKind::kAggregate, ArgShape::kSelector},
    {"min", Func::kMin, FuncKind::kAggregate, ArgShape::kSelector},
    {"pct", Func::kPct, FuncKind::kGrowthFamily, ArgShape::kSelectorPeriodsOrRange},
    {"revisions", Func::kRevisions, FuncKind::kWholeStatement, ArgShape::kSelector},
    {"sum", Func::kSum, FuncKind::kAggregate, ArgShape::kSelector},
    {"vintages", Func::kVintages, FuncKind::kWholeStatement, ArgShape::kSelectorVintages},
}};

constexpr bool FunctionsAreKeywords() {
  for (const auto& f : kFunctions)
    if (std::find(kKeywords.begin(), kKeywords.end(), f.name) == kKeywords.end()) return false;
  return true;
}
static_assert(FunctionsAreKeywords(), "every function name is a reserved word");

bool IsWordStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsWordChar(char c) { return IsWordStart(c) || IsDigit(c); }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

}  // namespace

std::span<const std::string_view> Keywords() { return kKeywords; }

bool IsKeyword(std::string_view word) {
  return std::binary_search(kKeywords.begin(), kKeywords.end(), word);
}

bool CanNameCharge(std::string_view name) { return IsChargeName(name) && !IsKeyword(name); }
bool CanNameSource(std::string_view name) { return IsSourceName(name) && !IsKeyword(name); }

std::vector<std::string> ReservedNamesIn(const Archive& archive) {
  std::vector<std::string> out;
  for (const auto& [name, charge] : archive.charges())
    if (IsKeyword(name)) out.push_back(fmt::format("charge `{}`", name));
  for (const auto& [name, source] : archive.sources())
    if (IsKeyword(name)) out.push_back(fmt::format("source `{}`", name));
  return out;
}

std::span<const Function> Functions() { return kFunctions; }

const Function* FindFunction(std::string_view name) {
  for (const auto& f : kFunctions)
    if (f.name == name) return &f;
  return nullptr;
}

const Function& FunctionOf(ast::Func func) {
  for (const auto& f : kFunctions)
    if (f.func == func) return f;
  return kFunctions.front();  // unreachable: every ast::Func has a row
}

namespace {

// Calls visit(token) for every token of `text`, in order, holding none.
template <class Visit>
void ForEachToken(std::string_view text, Visit visit) {
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (IsSpace(c)) {
      ++i;
      continue;
    }
    Token t;
    t.begin = i;
    if (c == '-' && i + 1 < text.size() && text[i + 1] == '-') {
      t.kind = Token::Kind::kComment;
      i = std::min(text.find('\n', i), text.size());
    } else if (c == '"') {
      t.kind = Token::Kind::kString;
      for (++i; i < text.size() && text[i] != '"'; ++i)
        if (text[i] == '\\') ++i;
      t.open = i >= text.size();
      i = std::min(i + 1, text.size());
    } else if (IsWordStart(c) || IsDigit(c)) {
      t.kind = IsDigit(c) ? Token::Kind::kNumber : Token::Kind::kWord;
      while (i < text.size() && IsWordChar(text[i])) ++i;
    } else {
      t.kind = Token::Kind::kSymbol;
      ++i;
    }
    t.end = i;
    visit(t);
  }
}

}  // namespace

std::vector<Token> Tokens(std::string_view text) {
  std::vector<Token> out;
  ForEachToken(text, [&](const Token& t) { out.push_back(t); });
  return out;
}

bool HasWord(std::string_view text, std::string_view word) {
  bool found = false;
  ForEachToken(text, [&](const Token& t) {
    found = found || (t.kind == Token::Kind::kWord && text.substr(t.begin, t.end - t.begin) == word);
  });
  return found;
}

// In one pass over the tokens: a script's whole text is checked with it.
TextState StateAtEnd(std::string_view text) {
  TextState state;
  std::optional<Token> last, end;  // the last token that is not a comment; the last token
  ForEachToken(text, [&](const Token& t) {
    end = t;
    if (t.kind == Token::Kind::kComment) return;
    state.blank = false;
    last = t;
    if (t.kind == Token::Kind::kSymbol && text[t.begin] == '{') state.open_brace = t.begin;
    if (t.kind == Token::Kind::kSymbol && text[t.begin] == '}') state.open_brace.reset();
  });
  if (end) {
    state.in_comment = end->kind == Token::Kind::kComment && end->end == text.size();
    if (end->kind == Token::Kind::kString && end->open) state.open_string = end->begin;
  }
  state.complete = last && last->kind == Token::Kind::kSymbol && text[last->begin] == ';';
  return state;
}

std::optional<Token> TokenBefore(std::string_view text, size_t cursor) {
  text = text.substr(0, cursor);
  const auto tokens = Tokens(text);
  if (tokens.empty() || tokens.back().end != text.size()) return std::nullopt;
  const Token& t = tokens.back();
  if (t.kind == Token::Kind::kSymbol || t.kind == Token::Kind::kComment) return std::nullopt;
  return t;
}

}  // namespace docket
