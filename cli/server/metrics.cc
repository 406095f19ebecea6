#include "cli/server/metrics.h"

#include <fmt/format.h>

namespace docket::cli::server {

void ServerMetrics::Observe(int status, double seconds) {
  std::lock_guard lock(mu_);
  ++by_code_[status];
  for (size_t i = 0; i < kBuckets.size(); ++i)
    if (seconds <= kBuckets[i]) {
      ++buckets_[i];
      break;
    }
  ++count_;
  sum_ += seconds;
}

std::string ServerMetrics::Text() const {
  std::lock_guard lock(mu_);
  std::string out =
      "# HELP docket_http_requests_total HTTP requests answered, by status code.\n"
      "# TYPE docket_http_requests_total counter\n";
  for (const auto& [code, n] : by_code_) out += fmt::format("docket_http_requests_total{{code=\"{}\"}} {}\n", code, n);
  out +=
      "# HELP docket_http_request_duration_seconds Time from a request's start to its last byte.\n"
      "# TYPE docket_http_request_duration_seconds histogram\n";
  uint64_t cumulative = 0;
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    cumulative += buckets_[i];
    out += fmt::format("docket_http_request_duration_seconds_bucket{{le=\"{}\"}} {}\n", kBuckets[i], cumulative);
  }
  out += fmt::format("docket_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {}\n", count_);
  out += fmt::format("docket_http_request_duration_seconds_sum {}\n", sum_);
  out += fmt::format("docket_http_request_duration_seconds_count {}\n", count_);
  out += fmt::format(
      "# HELP docket_http_requests_in_progress Requests whose answer is being computed.\n"
      "# TYPE docket_http_requests_in_progress gauge\n"
      "docket_http_requests_in_progress {}\n",
      in_progress_.load());
  return out;
}

}  // namespace docket::cli::server
