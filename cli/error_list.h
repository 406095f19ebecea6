// The bad rows of an import or restore (spec §5 "CSV import"), reported as
// `docket: FILE:LINE:COLUMN: message`: every one counted, the first 50
// shown, then how many more.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include <fmt/format.h>

namespace docket::cli {

class ErrorList {
 public:
  static constexpr size_t kMaxShown = 50;

  void Add(const std::string& file, size_t line, size_t column, const std::string& message) {
    if (shown_.size() < kMaxShown)
      shown_.push_back(fmt::format("docket: {}:{}:{}: {}", file, line, column, message));
    ++count_;
  }
  bool empty() const { return count_ == 0; }
  // To stderr.
  void Print() const {
    for (const auto& line : shown_) std::fprintf(stderr, "%s\n", line.c_str());
    if (count_ > shown_.size())
      std::fprintf(stderr, "docket: %zu more errors not shown (%zu in all); nothing was imported\n",
                   count_ - shown_.size(), count_);
  }

 private:
  std::vector<std::string> shown_;
  size_t count_ = 0;
};

}  // namespace docket::cli
