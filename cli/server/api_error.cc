#include "cli/server/api_error.h"

#include <nlohmann/json.hpp>

#include <fmt/format.h>

namespace docket::cli::server {
namespace {

struct Row {
  ApiErrorKind kind;
  int status;
  const char* name;
  int exit_code;
};

// The table of spec §8, one row per kind.
constexpr Row kTable[] = {
    {ApiErrorKind::kParse, 400, "parse", 65},
    {ApiErrorKind::kName, 400, "name", 65},
    {ApiErrorKind::kValue, 400, "value", 65},
    {ApiErrorKind::kParameter, 400, "value", 64},
    {ApiErrorKind::kNotFound, 404, "io", 66},
    {ApiErrorKind::kNoEndpoint, 404, "value", 64},
    {ApiErrorKind::kIo, 500, "io", 74},
    {ApiErrorKind::kLocked, 503, "locked", 75},
    {ApiErrorKind::kTimeout, 503, "timeout", 75},
    {ApiErrorKind::kTooLarge, 413, "too_large", 65},
    {ApiErrorKind::kForbidden, 403, "forbidden", 65},
    {ApiErrorKind::kUnauthorized, 401, "unauthorized", 65},
};

const Row& RowOf(ApiErrorKind kind) {
  for (const Row& r : kTable)
    if (r.kind == kind) return r;
  return kTable[6];  // kIo
}

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// The name in "…; did you mean `NAME`?", or empty.
std::string Suggestion(const std::string& message) {
  static constexpr std::string_view kMark = "did you mean `";
  const size_t at = message.rfind(kMark);
  if (at == std::string::npos) return "";
  const size_t begin = at + kMark.size();
  const size_t end = message.find('`', begin);
  return end == std::string::npos ? "" : message.substr(begin, end - begin);
}

}  // namespace

int HttpStatus(ApiErrorKind kind) { return RowOf(kind).status; }
int ExitCodeOf(ApiErrorKind kind) { return RowOf(kind).exit_code; }
bool IsRetryable(ApiErrorKind kind) { return kind == ApiErrorKind::kLocked || kind == ApiErrorKind::kTimeout; }

ApiError FromDiagnostic(const Diagnostic& d, bool parsing) {
  ApiError e;
  switch (d.kind) {
    case ErrorKind::kUsage: e.kind = ApiErrorKind::kParameter; break;
    case ErrorKind::kNotFound: e.kind = ApiErrorKind::kNotFound; break;
    case ErrorKind::kIo: e.kind = ApiErrorKind::kIo; break;
    case ErrorKind::kLocked: e.kind = ApiErrorKind::kLocked; break;
    case ErrorKind::kInput:
      // The grammar's own errors say what it expected; values it read and
      // refused say `invalid …` or name a future date.
      if (StartsWith(d.message, "unknown ")) e.kind = ApiErrorKind::kName;
      else if (parsing && !StartsWith(d.message, "invalid ") && !StartsWith(d.message, "reported date "))
        e.kind = ApiErrorKind::kParse;
      else e.kind = ApiErrorKind::kValue;
      break;
  }
  e.message = d.message;
  e.line = d.line;
  e.column = d.column;
  if (d.line > 0) e.context = d.line_text;
  e.suggestion = Suggestion(d.message);
  return e;
}

ApiError FromErrorList(const ErrorList& list) {
  ApiError e;
  e.kind = ApiErrorKind::kValue;
  e.errors = list.shown();
  for (const auto& entry : list.shown())
    e.message += fmt::format("{}{}:{}:{}: {}", e.message.empty() ? "" : "\n", entry.file, entry.line,
                             entry.column, entry.message);
  if (const std::string more = list.MoreText(); !more.empty()) e.message += "\n" + more;
  return e;
}

std::string ErrorJson(const ApiError& e) {
  using Json = nlohmann::ordered_json;
  Json body{{"exit_code", ExitCodeOf(e.kind)}, {"kind", RowOf(e.kind).name}, {"message", e.message}};
  if (e.line > 0) {
    body["line"] = e.line;
    body["column"] = e.column;
    body["context"] = e.context;
  }
  if (!e.suggestion.empty()) body["suggestion"] = e.suggestion;
  if (!e.errors.empty()) {
    Json errors = Json::array();
    for (const auto& entry : e.errors)
      errors.push_back(Json{{"line", entry.line}, {"column", entry.column}, {"message", entry.message}});
    body["errors"] = std::move(errors);
  }
  return Json{{"error", std::move(body)}}.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace docket::cli::server
