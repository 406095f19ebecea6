// What typed text amounts to, read as the language's lexer reads it
// (strings with `\` escapes, `--` comments to the end of the line). Both
// scans give way to query's lexicon once it has one scanner for strings
// and comments.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace docket::cli {

// The whole input typed so far.
struct InputScan {
  bool blank = true;       // nothing but whitespace and comments
  bool in_string = false;  // ends inside an open string
  bool complete = false;   // its last token is a `;`: the statements can run
};
InputScan ScanInput(std::string_view text);

// Where the end of one line stands, for completion.
struct LineState {
  bool in_comment = false;
  std::optional<size_t> string_start;  // just after the quote of an open string
  std::optional<size_t> brace;         // an unclosed `{`
};
LineState StateOf(std::string_view line);

}  // namespace docket::cli
