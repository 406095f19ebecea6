// Where the shell's results go: a ConsoleOutput, each result through a
// Pager when the shell uses one.
#pragma once

#include <cstdio>
#include <memory>
#include <string>

#include "cli/console_output.h"
#include "cli/shell/pager.h"

namespace docket::cli {

class ShellOutput : public Sink {
 public:
  // Results on `out` as `render` says, or through `pager` (then on its
  // file) if not null, each result (a table, a chart) paged by itself.
  ShellOutput(std::FILE* out, const RenderOptions& render, std::string destination,
              std::unique_ptr<Pager> pager);

  void Begin(const std::vector<std::string>& columns) override;
  Status Row(const std::vector<Cell>& cells) override { return console_.Row(cells); }
  void End() override;
  void Plot(const Table& rows) override;
  void Check(std::string_view where, const CheckResult& result) override {
    console_.Check(where, result);
  }
  void Message(std::string_view where, std::string_view message) override {
    console_.Message(where, message);
  }
  Status Flush() override { return console_.Flush(); }

 private:
  void EndPage();

  std::unique_ptr<Pager> pager_;  // before console_, which writes to its file
  ConsoleOutput console_;
};

}  // namespace docket::cli
