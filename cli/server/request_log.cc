#include "cli/server/request_log.h"

#include <unistd.h>

#include <chrono>
#include <ctime>

#include <fmt/format.h>

namespace docket::cli::server {
namespace {

constexpr size_t kMaxQueryChars = 200;

// The target with its query (after `?`) cut to kMaxQueryChars characters
// (UTF-8 sequences kept whole) and followed by `…` when cut.
std::string Shortened(std::string_view target) {
  const size_t q = target.find('?');
  std::string out(target.substr(0, q == std::string_view::npos ? target.size() : q + 1));
  if (q != std::string_view::npos) {
    std::string_view query = target.substr(q + 1);
    size_t chars = 0, i = 0;
    for (; i < query.size(); ++i) {
      if ((static_cast<unsigned char>(query[i]) & 0xC0) != 0x80 && chars++ == kMaxQueryChars) break;
    }
    out += query.substr(0, i);
    if (i < query.size()) out += "…";
  }
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f || c == ' ') c = '?';
  return out;
}

std::string Now() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  // The date and time to the second change once a second: each thread
  // formats them then, not per request.
  thread_local std::time_t second = -1;
  thread_local std::string to_second;
  if (t != second) {
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    to_second = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                            tm.tm_hour, tm.tm_min, tm.tm_sec);
    second = t;
  }
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  return fmt::format("{}.{:03}Z", to_second, ms);
}

}  // namespace

std::string LogLine(const LoggedRequest& r) {
  return fmt::format("{} {} {} {} {} {} {:.1f}ms", Now(), r.client, r.method, Shortened(r.target), r.status,
                     r.bytes, r.milliseconds);
}

void LogRequest(const LoggedRequest& r) {
  const std::string line = LogLine(r) + "\n";
  // One write: lines of requests answered at once do not interleave.
  [[maybe_unused]] const ssize_t n = ::write(STDERR_FILENO, line.data(), line.size());
}

}  // namespace docket::cli::server
