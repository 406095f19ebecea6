// The server's errors (spec §8 "An error is always this object"): one
// table gives each kind its HTTP status and exit code, and one function
// writes the object.
#pragma once

#include <string>
#include <vector>

#include "cli/diagnostics.h"
#include "cli/error_list.h"

namespace docket::cli::server {

enum class ApiErrorKind {
  kParse,         // 400, 65
  kName,          // 400, 65: an unknown charge or source
  kValue,         // 400, 65: an invalid value, bad CSV or jsonl
  kParameter,     // 400, 64: a bad request parameter (kind `value`)
  kNotFound,      // 404, 66: the archive is missing (kind `io`)
  kNoEndpoint,    // 404, 64: no such method and path (kind `value`)
  kIo,            // 500, 74
  kLocked,        // 503, 75, with Retry-After
  kTimeout,       // 503, 75, with Retry-After
  kTooLarge,      // 413, 65: rows or body
  kForbidden,     // 403, 65: a write refused
  kUnauthorized,  // 401, 65: a missing or wrong token, with WWW-Authenticate
};

struct ApiError {
  ApiErrorKind kind = ApiErrorKind::kIo;
  std::string message;
  // A place in the script: 1-based line and column (characters), the line's text.
  size_t line = 0, column = 0;
  std::string context;
  std::string suggestion;                // the name `did you mean` offers
  std::vector<ErrorList::Entry> errors;  // an import's bad rows (at most 50)
};

int HttpStatus(ApiErrorKind kind);
int ExitCodeOf(ApiErrorKind kind);
// Whether the answer carries `Retry-After`.
bool IsRetryable(ApiErrorKind kind);

// A Diagnostic from the pipeline or an import; `parsing` when it came from
// parsing the script (a parse error unless it names an invalid value).
ApiError FromDiagnostic(const Diagnostic& d, bool parsing);

// The import's bad rows as one error: `errors` and, in `message`, each as
// `import:LINE:COLUMN: message`.
ApiError FromErrorList(const ErrorList& list);

// `{"error": {"exit_code": …, "kind": …, "message": …, …}}` and a newline.
std::string ErrorJson(const ApiError& e);

}  // namespace docket::cli::server
