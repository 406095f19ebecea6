// Turning errors into what the user sees: one exit code per error kind or
// monitoring state (spec §5), and `docket: WHERE: message` lines, with the
// script line and a caret when the error has a place.
#pragma once

#include <string>
#include <string_view>

#include "query/ast.h"
#include "query/query.h"
#include "storage/status.h"

namespace docket::cli {

int ExitCode(ErrorKind kind);
// 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
int ExitCode(CheckState state);

// An error as data, ready to be shown: by FormatDiagnostic on a terminal,
// or sent whole by a front end that is not one.
struct Diagnostic {
  ErrorKind kind = ErrorKind::kIo;
  std::string message;
  std::string where;  // the script piece's origin (`-e`, a file, `<stdin>`) or a command; may be empty
  // With a place in the script: the 1-based line and column (the column
  // counts characters) and the text of that line, for the caret. line 0: no place.
  size_t line = 0;
  size_t column = 0;
  std::string line_text;

  int exit_code() const { return ExitCode(kind); }
};

// `status` (not ok) as a Diagnostic: placed in `script` when it has a place
// there (`where` is then the piece's origin), else at `where`.
Diagnostic Diagnose(const ast::Script* script, const Status& status, std::string_view where);

// `docket: WHERE:LINE:COL: message`, the line as it is, then a caret under
// the spot (tabs kept, display width followed) when `d` has a place; else
// `docket: WHERE: message`, or `docket: message` without a WHERE. Ends with
// a newline.
std::string FormatDiagnostic(const Diagnostic& d);
// FormatDiagnostic to stderr, after what stdout holds.
void PrintDiagnostic(const Diagnostic& d);

// PrintDiagnostic(Diagnose(...)).
void PrintError(const ast::Script* script, const Status& status, std::string_view where);

// `docket: WHERE: message` to stderr, after what stdout holds.
void PrintMessage(std::string_view where, std::string_view message);

}  // namespace docket::cli
