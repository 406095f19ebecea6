#include "cli/console_output.h"

#include <unistd.h>

#include <cstdlib>
#include <utility>

#include <fmt/format.h>

#include "cli/diagnostics.h"

namespace docket::cli {
namespace {

bool IsTerminal(std::FILE* f) { return ::isatty(::fileno(f)) == 1; }

bool UsesColor(std::FILE* out) { return IsTerminal(out) && std::getenv("NO_COLOR") == nullptr; }

}  // namespace

Format DefaultFormat(std::FILE* out) { return IsTerminal(out) ? Format::kTable : Format::kCsv; }

ConsoleOutput::ConsoleOutput(std::FILE* out, std::optional<Format> format, bool ascii,
                             std::string destination, PluginTiming plugin_timing)
    : out_(out),
      destination_(std::move(destination)),
      writer_(out, RenderOptions{format.value_or(DefaultFormat(out)), ascii, UsesColor(out)}),
      plot_{TerminalWidth(out), ascii, UsesColor(out)},
      plugin_timing_(plugin_timing) {}

void ConsoleOutput::Message(std::string_view where, std::string_view message) {
  PrintMessage(where, message);
}

void ConsoleOutput::Check(std::string_view where, const CheckResult& result) {
  plugin_.Add(result);
  if (result.kind == CheckResult::Kind::kAssert) {
    if (auto message = AssertMessage(result)) Message(where, *message);
  } else if (plugin_timing_ == PluginTiming::kEachCheck) {
    WritePluginOutput();
  }
}

void ConsoleOutput::WritePluginOutput(const std::optional<std::string>& error) {
  if (error) {
    writer_.WriteText(PluginErrorLine(*error));
  } else if (plugin_.has_check()) {
    for (const auto& line : plugin_.Lines()) writer_.WriteText(line);
  }
  plugin_.Clear();
}

Status ConsoleOutput::Row(const std::vector<Cell>& cells) {
  if (std::ferror(out_)) return Flush();
  return writer_.Row(cells);
}

Status ConsoleOutput::Flush() {
  std::fflush(out_);
  if (!std::ferror(out_)) return {};
  std::clearerr(out_);
  return Status::Io(fmt::format("cannot write to {}", destination_));
}

}  // namespace docket::cli
