// The interactive shell (issue #3, spec §5): line editing and history with
// libedit, tab completion from the archive's catalog, meta-commands, and
// statements run one by one, each on a fresh snapshot of the archive.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "cli/options.h"

namespace docket::cli {

// Runs the shell on the terminal until \quit or Ctrl-D on an empty line.
// Requires stdin to be a terminal. Errors are printed and the shell carries
// on, so it always returns 0.
int RunShell(const Options& options);

// ---- pieces of the shell, exposed for tests

// What typed text amounts to, read as the language's lexer reads it
// (strings with `\` escapes, `--` comments to the end of the line).
struct InputScan {
  bool blank = true;       // nothing but whitespace and comments
  bool in_string = false;  // ends inside an open string
  bool complete = false;   // its last token is a `;`: the statements can run
};
InputScan ScanInput(std::string_view text);

// Where history is kept: $DOCKET_HISTORY, else $XDG_STATE_HOME/docket/history,
// else $HOME/.local/state/docket/history; empty when none of them is set.
std::string HistoryPath();

// The names completion offers, from the archive's catalog.
struct Catalog {
  std::set<std::string> charges, sources;
  // charge -> label key -> values, from the charge's series.
  std::map<std::string, std::map<std::string, std::set<std::string>>> labels;
};

// A completion of the word before the cursor: replace line[start, end of
// line) by a candidate's text; when it is the only one, add its suffix.
struct Candidate {
  std::string text;
  std::string suffix;  // `(` after a function, ` ` after a keyword, `=` after a label key…
  friend bool operator==(const Candidate&, const Candidate&) = default;
};
struct Completion {
  size_t start = 0;
  std::vector<Candidate> candidates;  // sorted by text, no duplicates
};

// Completes the end of `line` (the text before the cursor on the current
// line): meta-command names and their arguments (formats, on/off, help
// topics, charges, file names) on a line starting with `\`; label values
// inside `key="…`, label keys after `{` or `,` inside braces, sources after
// `from`, charges after `series` and `describe`; elsewhere keywords,
// function names, charges and sources. Case-sensitive prefix matches, else
// case-insensitive ones. Nothing inside a comment.
Completion Complete(std::string_view line, const Catalog& catalog);

}  // namespace docket::cli
