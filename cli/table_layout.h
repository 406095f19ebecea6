// Text on a terminal: its display width, and fitting a table to the
// terminal (cells wrapped to a column's width, columns narrowed to the
// terminal's). No I/O.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace docket::cli {

// Terminal display width of UTF-8 text (wide CJK = 2, combining marks = 0,
// an invalid byte 1).
size_t DisplayWidth(std::string_view utf8);

// `text` as lines of at most `width` display columns: a line breaks at its
// last space (which is dropped) or, in a word longer than the line (a URL,
// CJK text), before the character that would overflow it. Characters are
// never split: a base and its combining marks stay together, and a wide
// character that does not fit starts the next line; a single character
// wider than `width` takes a line of its own. Empty text is one empty line.
std::vector<std::string> WrapText(std::string_view text, size_t width);

// Column widths within `available` display columns in all, from the
// `natural` width of each column (its widest cell): unchanged when they
// fit; else every column wider than a level L is cut to L, L the largest
// level at which all fit, and the columns left over go one each to the
// cut columns from the left. No column is cut below 1, so when
// `available` is less than the number of columns the result exceeds it.
std::vector<size_t> FitColumns(const std::vector<size_t>& natural, size_t available);

}  // namespace docket::cli
