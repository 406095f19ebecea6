#include "cli/shell/input_scan.h"

#include <algorithm>

#include "cli/shell/text.h"

namespace docket::cli {

InputScan ScanInput(std::string_view text) {
  InputScan scan;
  bool semicolon = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (scan.in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        scan.in_string = false;
      }
    } else if (c == '-' && i + 1 < text.size() && text[i + 1] == '-') {
      i = std::min(text.find('\n', i), text.size());
    } else if (!IsSpace(c)) {
      scan.blank = false;
      scan.in_string = c == '"';
      semicolon = c == ';';
    }
  }
  scan.complete = semicolon && !scan.in_string;
  return scan;
}

LineState StateOf(std::string_view line) {
  LineState state;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (state.string_start) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        state.string_start.reset();
      }
    } else if (c == '-' && i + 1 < line.size() && line[i + 1] == '-') {
      state.in_comment = true;
      return state;
    } else if (c == '"') {
      state.string_start = i + 1;
    } else if (c == '{') {
      state.brace = i;
    } else if (c == '}') {
      state.brace.reset();
    }
  }
  return state;
}

}  // namespace docket::cli
