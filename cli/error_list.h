// The bad rows of an import or restore (spec §5 "CSV import"), reported as
// `docket: FILE:LINE:COLUMN: message`: every one counted, the first 50
// kept, then how many more.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include <fmt/format.h>

namespace docket::cli {

class ErrorList {
 public:
  static constexpr size_t kMaxShown = 50;

  struct Entry {
    std::string file;
    size_t line = 0, column = 0;
    std::string message;
  };

  void Add(const std::string& file, size_t line, size_t column, const std::string& message) {
    if (shown_.size() < kMaxShown) shown_.push_back({file, line, column, message});
    ++count_;
  }
  bool empty() const { return count_ == 0; }
  // The first kMaxShown, in the order added.
  const std::vector<Entry>& shown() const { return shown_; }
  size_t count() const { return count_; }
  // `N more errors not shown (M in all); nothing was imported`, when some were not kept.
  std::string MoreText() const {
    if (count_ <= shown_.size()) return "";
    return fmt::format("{} more errors not shown ({} in all); nothing was imported",
                       count_ - shown_.size(), count_);
  }
  // To stderr.
  void Print() const {
    for (const auto& e : shown_)
      std::fprintf(stderr, "%s\n", fmt::format("docket: {}:{}:{}: {}", e.file, e.line, e.column, e.message).c_str());
    if (count_ > shown_.size()) std::fprintf(stderr, "docket: %s\n", MoreText().c_str());
  }

 private:
  std::vector<Entry> shown_;
  size_t count_ = 0;
};

}  // namespace docket::cli
