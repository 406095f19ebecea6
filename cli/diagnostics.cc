#include "cli/diagnostics.h"

#include <cstdio>

#include <fmt/format.h>

#include "cli/render.h"

namespace docket::cli {
namespace {

bool IsContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xc0) == 0x80; }

// The caret's indent under the first `chars` characters of `line`: tabs
// kept, other characters by display width.
std::string CaretIndent(std::string_view line, size_t chars) {
  std::string indent;
  for (size_t i = 0; i < line.size() && chars > 0; --chars) {
    if (line[i] == '\t') {
      indent += '\t';
      ++i;
      continue;
    }
    size_t n = 1;
    while (i + n < line.size() && IsContinuationByte(line[i + n])) ++n;
    indent.append(DisplayWidth(line.substr(i, n)), ' ');
    i += n;
  }
  return indent;
}

}  // namespace

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

int ExitCode(CheckState state) {
  switch (state) {
    case CheckState::kOk: return 0;
    case CheckState::kWarning: return 1;
    case CheckState::kCritical: return 2;
    case CheckState::kUnknown: return 3;
  }
  return 3;
}

Diagnostic Diagnose(const ast::Script* script, const Status& status, std::string_view where) {
  Diagnostic d;
  d.kind = status.kind();
  d.message = status.message();
  d.where = where;
  const Place& place = status.place();
  if (!script || !place.set || place.piece >= script->pieces.size()) return d;
  const ast::Piece& piece = script->pieces[place.piece];
  const std::string_view text = piece.text;
  const size_t offset = std::min(place.offset, text.size());
  const size_t newline = offset == 0 ? std::string_view::npos : text.rfind('\n', offset - 1);
  const size_t line_start = newline == std::string_view::npos ? 0 : newline + 1;
  size_t line_end = text.find('\n', offset);
  if (line_end == std::string_view::npos) line_end = text.size();
  std::string_view line_text = text.substr(line_start, line_end - line_start);
  if (!line_text.empty() && line_text.back() == '\r') line_text.remove_suffix(1);
  d.where = piece.origin;
  d.line = 1;
  for (size_t i = 0; i < line_start; ++i) d.line += text[i] == '\n';
  d.column = 1;
  for (char c : text.substr(line_start, offset - line_start)) d.column += !IsContinuationByte(c);
  d.line_text = line_text;
  return d;
}

std::string FormatDiagnostic(const Diagnostic& d) {
  if (d.line == 0) {
    if (d.where.empty()) return fmt::format("docket: {}\n", d.message);
    return fmt::format("docket: {}: {}\n", d.where, d.message);
  }
  return fmt::format("docket: {}:{}:{}: {}\n{}\n{}^\n", d.where, d.line, d.column, d.message,
                     d.line_text, CaretIndent(d.line_text, d.column - 1));
}

void PrintDiagnostic(const Diagnostic& d) {
  const std::string text = FormatDiagnostic(d);
  std::fflush(stdout);
  std::fputs(text.c_str(), stderr);
}

void PrintError(const ast::Script* script, const Status& status, std::string_view where) {
  PrintDiagnostic(Diagnose(script, status, where));
}

void PrintMessage(std::string_view where, std::string_view message) {
  Diagnostic d;
  d.message = message;
  d.where = where;
  PrintDiagnostic(d);
}

}  // namespace docket::cli
