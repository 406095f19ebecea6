#include "cli/shell/shell_output.h"

#include <utility>

#include "cli/diagnostics.h"

namespace docket::cli {

ShellOutput::ShellOutput(std::FILE* out, const RenderOptions& render, std::string destination,
                         std::unique_ptr<Pager> pager)
    : pager_(std::move(pager)),
      console_(pager_ ? pager_->file() : out, render, std::move(destination),
               ConsoleOutput::PluginTiming::kEachCheck) {}

void ShellOutput::Begin(const std::vector<std::string>& columns) {
  if (pager_) pager_->Begin();
  console_.Begin(columns);
}

void ShellOutput::End() {
  console_.End();
  EndPage();
}

void ShellOutput::Plot(const Table& rows) {
  if (pager_) pager_->Begin();
  console_.Plot(rows);
  EndPage();
}

void ShellOutput::EndPage() {
  if (!pager_) return;
  if (auto failure = pager_->End()) PrintMessage("\\pager", *failure);
}

}  // namespace docket::cli
