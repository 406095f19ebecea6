// One line per request on stderr (spec §8): time, client, method, path
// (the query shortened to 200 characters), status, bytes, milliseconds.
// Headers (and so the token) are never logged.
#pragma once

#include <string>
#include <string_view>

namespace docket::cli::server {

struct LoggedRequest {
  std::string_view client;  // ADDR:PORT
  std::string_view method;
  std::string_view target;  // the path and query as sent
  int status = 0;
  size_t bytes = 0;  // of the body sent
  double milliseconds = 0;
};

// `2025-11-01T12:00:00.123Z 127.0.0.1:53422 GET /api/v1/query?q=… 200 512 1.7ms`,
// control characters in the target shown as `?`.
std::string LogLine(const LoggedRequest& r);

// Writes LogLine and a newline to stderr in one write.
void LogRequest(const LoggedRequest& r);

}  // namespace docket::cli::server
