// The language's lexicon: its reserved words, its function table and the
// one lexical scan of strings and `--` comments. The grammar, the checker,
// the evaluator and the shell's completion all read these; adding a
// function is one row in Functions() plus its evaluation.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "query/ast.h"

namespace docket {

class Archive;

// ---------------------------------------------------------------- keywords

// Every reserved word, in byte order: spec §2's list and the eight of §7
// (v1.1). Reserved words name no charge or source (`From` may); they are
// lower case and case-sensitive.
std::span<const std::string_view> Keywords();
bool IsKeyword(std::string_view word);
// A charge or source name the language can write: the shape of
// storage's IsChargeName/IsSourceName and not a reserved word.
bool CanNameCharge(std::string_view name);
bool CanNameSource(std::string_view name);

// "charge `first`", "source `lag`": each charge or source of `archive` whose
// name became a reserved word after it was defined (such an archive still
// opens; its statements cannot name them). Empty for most archives.
std::vector<std::string> ReservedNamesIn(const Archive& archive);

// ---------------------------------------------------------------- functions

enum class FuncKind {
  kValue,           // value rows, usable in arithmetic (v1.1: first, lag)
  kAggregate,       // combines the matched series per period: sum, min, max, count
  kGrowthFamily,    // (from, to) rows: growth, change, pct
  kWholeStatement,  // a query of its own, never an operand: revisions, conflicts,
                    // history, vintages, diff
};

enum class ArgShape {
  kSelector,                  // f(SELECTOR)
  kSelectorPeriodsOrRange,    // f(SELECTOR, PERIOD, PERIOD) or f(SELECTOR[RANGE])
  kSelectorVintages,          // f(SELECTOR, START..END): periods or full dates
  kSelectorCutoffs,           // f(SELECTOR, CUTOFF, CUTOFF)
};

struct Function {
  std::string_view name;
  ast::Func func;
  FuncKind kind;
  ArgShape args;
};

// The function table, in byte order of name.
std::span<const Function> Functions();
// The row named `name`, or null when no function has that name.
const Function* FindFunction(std::string_view name);
// The row of `func` (every ast::Func has one).
const Function& FunctionOf(ast::Func func);

// ---------------------------------------------------------------- scanning

// The lexical tokens as the language reads them, for what must know where
// strings and comments are without parsing: a word is [A-Za-z_][A-Za-z0-9_]*,
// a number starts with a digit ([0-9A-Za-z_.]*), a string runs from `"` to
// the next `"` not escaped by `\` (or to the end of the text: open), a
// comment from `--` to the end of the line (the newline not included);
// anything else but whitespace is a one-character symbol.
struct Token {
  enum class Kind { kWord, kNumber, kString, kComment, kSymbol };
  Kind kind = Kind::kSymbol;
  size_t begin = 0, end = 0;  // bytes of the text
  bool open = false;          // a string without its closing quote
};

// Every token of `text`, in order.
std::vector<Token> Tokens(std::string_view text);
// True if `word` is one of the word tokens of `text` (not inside a string
// or a comment). Memory O(1), whatever the text's size.
bool HasWord(std::string_view text, std::string_view word);

// Where the end of `text` stands lexically.
struct TextState {
  bool blank = true;                   // nothing but whitespace and comments
  bool in_comment = false;             // ends inside a `--` comment
  std::optional<size_t> open_string;   // ends inside a string: its opening quote
  std::optional<size_t> open_brace;    // the last `{` not closed by a later `}`
  bool complete = false;               // the last token is `;`: the statements can run
};
TextState StateAtEnd(std::string_view text);

// The word or string that ends at `cursor` (completion's word before the
// cursor), or nullopt when the cursor follows a symbol, whitespace or
// comment. Tokens are those of text[0, cursor).
std::optional<Token> TokenBefore(std::string_view text, size_t cursor);

}  // namespace docket
