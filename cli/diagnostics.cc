#include "cli/diagnostics.h"

#include <cstdio>

#include <fmt/format.h>

#include "cli/render.h"

namespace docket::cli {

int ExitCode(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kUsage: return 64;
    case ErrorKind::kInput: return 65;
    case ErrorKind::kNotFound: return 66;
    case ErrorKind::kIo: return 74;
    case ErrorKind::kLocked: return 75;
  }
  return 74;
}

std::string FormatError(const ast::Script* script, const Status& status, std::string_view where) {
  const Place& place = status.place();
  if (where.empty()) return fmt::format("docket: {}\n", status.message());
  if (!script || !place.set || place.piece >= script->pieces.size())
    return fmt::format("docket: {}: {}\n", where, status.message());
  const ast::Piece& piece = script->pieces[place.piece];
  const std::string_view text = piece.text;
  const size_t offset = std::min(place.offset, text.size());
  const size_t newline = offset == 0 ? std::string_view::npos : text.rfind('\n', offset - 1);
  const size_t line_start = newline == std::string_view::npos ? 0 : newline + 1;
  size_t line_end = text.find('\n', offset);
  if (line_end == std::string_view::npos) line_end = text.size();
  size_t line = 1;
  for (size_t i = 0; i < line_start; ++i) line += text[i] == '\n';
  std::string_view line_text = text.substr(line_start, line_end - line_start);
  if (!line_text.empty() && line_text.back() == '\r') line_text.remove_suffix(1);
  const std::string_view before = text.substr(line_start, offset - line_start);
  size_t column = 1;
  for (unsigned char c : before) column += (c & 0xc0) != 0x80;
  // The caret's indent keeps tabs and follows display width.
  std::string indent;
  for (size_t i = 0; i < before.size();) {
    if (before[i] == '\t') {
      indent += '\t';
      ++i;
      continue;
    }
    size_t n = 1;
    while (i + n < before.size() && (static_cast<unsigned char>(before[i + n]) & 0xc0) == 0x80) ++n;
    indent.append(DisplayWidth(before.substr(i, n)), ' ');
    i += n;
  }
  return fmt::format("docket: {}:{}:{}: {}\n{}\n{}^\n", piece.origin, line, column, status.message(),
                     line_text, indent);
}

void PrintError(const ast::Script* script, const Status& status, std::string_view where) {
  const std::string text = FormatError(script, status, where);
  std::fflush(stdout);
  std::fputs(text.c_str(), stderr);
}

}  // namespace docket::cli
