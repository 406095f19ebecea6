// The server's own metrics for `/metrics` (spec §8): requests by status
// code, a latency histogram and the requests being answered. Thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace docket::cli::server {

class ServerMetrics {
 public:
  // Counts a request as being answered while it lives: its handler runs
  // (a streamed body's sending is not counted). The gauge
  // `docket_http_requests_in_progress`.
  class Answering {
   public:
    explicit Answering(ServerMetrics& metrics) : metrics_(metrics) { ++metrics_.in_progress_; }
    ~Answering() { --metrics_.in_progress_; }
    Answering(const Answering&) = delete;
    Answering& operator=(const Answering&) = delete;

   private:
    ServerMetrics& metrics_;
  };

  // One answered request.
  void Observe(int status, double seconds);
  // The families `docket_http_requests_total` (counter),
  // `docket_http_request_duration_seconds` (histogram) and
  // `docket_http_requests_in_progress` (gauge), in OpenMetrics
  // text without `# EOF` (the archive's gauges come with the export's
  // cells: export.h ExportCellMetrics).
  std::string Text() const;

 private:
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1,    2.5};
  mutable std::mutex mu_;
  std::map<int, uint64_t> by_code_;
  std::array<uint64_t, kBuckets.size()> buckets_{};  // not cumulative
  uint64_t count_ = 0;
  double sum_ = 0;
  std::atomic<int64_t> in_progress_ = 0;
};

}  // namespace docket::cli::server
