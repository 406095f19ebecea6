#include "cli/console_output.h"

#include <langinfo.h>
#include <locale.h>
#include <unistd.h>

#include <cstdlib>
#include <utility>

#include <fmt/format.h>

#include "cli/diagnostics.h"

namespace docket::cli {
namespace {

bool IsTerminal(std::FILE* f) { return ::isatty(::fileno(f)) == 1; }

// The character set of the user's locale is UTF-8. Asked of a locale
// object of its own, so the process's locale stays as it is.
bool LocaleIsUtf8() {
  const locale_t user = ::newlocale(LC_CTYPE_MASK, "", static_cast<locale_t>(nullptr));
  if (user == static_cast<locale_t>(nullptr)) return false;  // an unknown locale: C's ASCII
  const std::string_view codeset = ::nl_langinfo_l(CODESET, user);
  const bool utf8 = codeset == "UTF-8";
  ::freelocale(user);
  return utf8;
}

RenderOptions WithChoices(std::FILE* out, std::optional<Format> format, bool ascii) {
  RenderOptions render = TerminalOptions(out);
  if (format) render.format = *format;
  render.ascii = render.ascii || ascii;
  return render;
}

}  // namespace

Format DefaultFormat(std::FILE* out) { return IsTerminal(out) ? Format::kTable : Format::kCsv; }

RenderOptions TerminalOptions(std::FILE* out) {
  RenderOptions render;
  render.format = DefaultFormat(out);
  if (IsTerminal(out)) {
    render.ascii = !LocaleIsUtf8();
    render.color = std::getenv("NO_COLOR") == nullptr;
    render.width = TerminalWidth(out);
  }
  return render;
}

ConsoleOutput::ConsoleOutput(std::FILE* out, std::optional<Format> format, bool ascii,
                             std::string destination, PluginTiming plugin_timing)
    : ConsoleOutput(out, WithChoices(out, format, ascii), std::move(destination), plugin_timing) {}

ConsoleOutput::ConsoleOutput(std::FILE* out, const RenderOptions& render, std::string destination,
                             PluginTiming plugin_timing)
    : out_(out),
      destination_(std::move(destination)),
      writer_(out, render),
      plot_{render.width > 0 ? render.width : TerminalWidth(out), render.ascii, render.color},
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
