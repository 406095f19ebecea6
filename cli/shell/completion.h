// Tab completion: what the word before the cursor may become, from the
// language, the meta-commands and the archive's catalog.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "cli/shell/catalog.h"

namespace docket::cli {

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
