// Turning errors into what the user sees: one exit code per error kind
// (spec §5) and `docket: WHERE: message` lines, with the script line and a
// caret when the error has a place.
#pragma once

#include <string>
#include <string_view>

#include "query/ast.h"
#include "storage/status.h"

namespace docket::cli {

int ExitCode(ErrorKind kind);

// `docket: WHERE:LINE:COL: message`, the line as it is, then a caret under
// the spot (COL counts characters) when `status` has a place in `script`;
// else `docket: WHERE: message`, or `docket: message` when WHERE is empty.
// Ends with a newline.
std::string FormatError(const ast::Script* script, const Status& status, std::string_view where);

// FormatError to stderr.
void PrintError(const ast::Script* script, const Status& status, std::string_view where);

}  // namespace docket::cli
