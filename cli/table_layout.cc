#include "cli/table_layout.h"

#include <algorithm>
#include <numeric>

#include <utf8proc.h>

namespace docket::cli {
namespace {

// A user-perceived character: its bytes in the text and its display width.
struct Grapheme {
  size_t begin, end;
  size_t width;
  bool space;
};

// The graphemes of `text`; an invalid byte is one of its own, one column wide.
std::vector<Grapheme> Graphemes(std::string_view text) {
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  const auto size = static_cast<utf8proc_ssize_t>(text.size());
  std::vector<Grapheme> graphemes;
  utf8proc_int32_t previous = -1;  // the last code point, -1 after an invalid byte
  utf8proc_int32_t state = 0;
  utf8proc_ssize_t i = 0;
  while (i < size) {
    utf8proc_int32_t code_point = 0;
    utf8proc_ssize_t length = utf8proc_iterate(bytes + i, size - i, &code_point);
    const bool valid = length > 0;
    if (!valid) length = 1;
    const auto begin = static_cast<size_t>(i);
    const auto end = static_cast<size_t>(i + length);
    const bool joins = valid && previous >= 0 &&
                       !utf8proc_grapheme_break_stateful(previous, code_point, &state);
    if (joins) {
      graphemes.back().end = end;
      graphemes.back().width += static_cast<size_t>(std::max(0, utf8proc_charwidth(code_point)));
    } else {
      const size_t width =
          valid ? static_cast<size_t>(std::max(0, utf8proc_charwidth(code_point))) : 1;
      graphemes.push_back({begin, end, width, valid && code_point == ' '});
      state = 0;
    }
    previous = valid ? code_point : -1;
    i += length;
  }
  return graphemes;
}

}  // namespace

size_t DisplayWidth(std::string_view utf8) {
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(utf8.data());
  const auto size = static_cast<utf8proc_ssize_t>(utf8.size());
  size_t width = 0;
  utf8proc_ssize_t i = 0;
  while (i < size) {
    utf8proc_int32_t code_point = 0;
    const utf8proc_ssize_t length = utf8proc_iterate(bytes + i, size - i, &code_point);
    if (length <= 0) {  // invalid UTF-8: this byte takes one column
      width += 1;
      i += 1;
      continue;
    }
    const int char_width = utf8proc_charwidth(code_point);
    if (char_width > 0) width += static_cast<size_t>(char_width);
    i += length;
  }
  return width;
}

std::vector<std::string> WrapText(std::string_view text, size_t width) {
  const std::vector<Grapheme> g = Graphemes(text);
  std::vector<std::string> lines;
  size_t start = 0;       // the first grapheme of the line being filled
  size_t used = 0;        // its display width so far
  size_t last_space = 0;  // the line's last space, when has_space
  bool has_space = false;
  auto emit = [&](size_t end) {  // the line [start, end) of graphemes
    lines.emplace_back(start == end ? std::string_view() : text.substr(g[start].begin, g[end - 1].end - g[start].begin));
  };
  for (size_t i = 0; i < g.size(); ++i) {
    if (used + g[i].width > width && used > 0) {
      if (g[i].space) {  // a space where the line is full: it becomes the break
        emit(i);
        start = i + 1;
        used = 0;
        has_space = false;
        continue;
      }
      if (has_space && last_space > start) {
        emit(last_space);
        start = last_space + 1;
        used = 0;
        for (size_t k = start; k < i; ++k) used += g[k].width;
      } else {
        emit(i);
        start = i;
        used = 0;
      }
      has_space = false;
      if (used + g[i].width > width && used > 0) {  // what followed the space is itself too long
        emit(i);
        start = i;
        used = 0;
      }
    }
    used += g[i].width;
    if (g[i].space) {
      last_space = i;
      has_space = true;
    }
  }
  emit(g.size());
  return lines;
}

std::vector<size_t> FitColumns(const std::vector<size_t>& natural, size_t available) {
  const auto total_at = [&](size_t level) {
    size_t total = 0;
    for (size_t w : natural) total += std::min(w, level);
    return total;
  };
  const size_t widest = natural.empty() ? 0 : *std::max_element(natural.begin(), natural.end());
  if (total_at(widest) <= available) return natural;
  // The largest level in [1, widest) at which the columns fit, by bisection.
  size_t low = 1, high = widest;  // total_at(high) > available
  if (total_at(low) > available) high = low;
  while (high - low > 1) {
    const size_t mid = low + (high - low) / 2;
    (total_at(mid) <= available ? low : high) = mid;
  }
  std::vector<size_t> widths;
  for (size_t w : natural) widths.push_back(std::min(w, low));
  size_t left = available > total_at(low) ? available - total_at(low) : 0;
  for (size_t c = 0; c < widths.size() && left > 0; ++c) {
    if (natural[c] > low) {
      ++widths[c];
      --left;
    }
  }
  return widths;
}

}  // namespace docket::cli
