// The shell loop. Reading: LineEditor (prompt, history, Ctrl-C, Tab).
// Deciding: a line that starts with `\` is a meta-command, run at once;
// other lines gather until the input ends with `;`. Running: the statement
// pipeline, one statement at a time, so the write lock is held only while a
// writing statement runs.
#include "cli/shell/session.h"

#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <clocale>
#include <cstring>
#include <utility>

#include <fmt/format.h>

#include "cli/diagnostics.h"
#include "cli/pipeline.h"
#include "query/lexicon.h"
#include "cli/shell/meta_commands.h"
#include "cli/shell/shell.h"
#include "cli/shell/text.h"

namespace docket::cli {
namespace {

constexpr std::string_view kPrompt = "docket> ";
constexpr std::string_view kContinuationPrompt = "   ...> ";
constexpr std::string_view kStringPrompt = "  \"...> ";

bool IsTerminal(std::FILE* f) { return ::isatty(::fileno(f)) == 1; }

}  // namespace

std::string Session::ArchiveSummary() const {
  auto opened = Archive::Open(options_.db, ReadOpen());
  if (!opened.ok()) {
    if (opened.status().kind() == ErrorKind::kNotFound)
      return "not created yet: the first define or record creates it";
    return opened.status().message();
  }
  auto size = (*opened)->GetSize();
  if (!size.ok()) return size.status().message();
  return fmt::format("{} series, {} report{} ({} version{})", size->series, size->reports,
                     size->reports == 1 ? "" : "s", size->versions, size->versions == 1 ? "" : "s");
}

Session::Session(const Options& options)
    : options_(options),
      settings_{options.format.value_or(DefaultFormat(stdout)),
                options.ascii || TerminalOptions(stdout).ascii},
      term_(IsTerminal(stdout) ? stdout : stderr),
      editor_(term_, HistoryPath(),
              [this](std::string_view line) { return Complete(line, catalog()); }) {}

Session::~Session() {
  if (out_ != stdout) std::fclose(out_);
}

int Session::Run() {
  PrintBanner();
  std::string line;
  while (!quit_) {
    switch (editor_.ReadLine(PromptFor(), &line)) {
      case LineEditor::Read::kEnd:
        std::fputs("\n", term_);
        return 0;
      case LineEditor::Read::kCancelled:
        pending_.clear();
        break;
      case LineEditor::Read::kLine:
        HandleLine(line);
        break;
    }
  }
  return 0;
}

void Session::Say(std::string_view text) const {
  std::fflush(out_);
  std::fwrite(text.data(), 1, text.size(), term_);
  std::fflush(term_);
}

void Session::PrintBanner() {
  Say(fmt::format("docket {} on {}: {}{}\n", DOCKET_VERSION, options_.db,
                  ArchiveSummary(), options_.read_only ? " (read-only)" : ""));
  Say("Statements end with `;`. \\help for help, \\quit or Ctrl-D to leave.\n");
}

std::string_view Session::PromptFor() const {
  if (pending_.empty()) return kPrompt;
  return StateAtEnd(pending_).open_string ? kStringPrompt : kContinuationPrompt;
}

// A meta-command runs at once (unless the line continues an open string);
// other lines gather until the input ends with `;`. What runs is in the
// history first, so a line with an error is never lost.
void Session::HandleLine(const std::string& line) {
  const std::string_view trimmed = Trim(line);
  if (trimmed.starts_with('\\') && !StateAtEnd(pending_).open_string) {
    editor_.Remember(std::string(trimmed));
    RunMeta(*this, trimmed);
    return;
  }
  if (!pending_.empty()) pending_ += '\n';
  pending_ += line;
  const TextState scan = StateAtEnd(pending_);
  if (scan.blank) {
    pending_.clear();
    return;
  }
  if (!scan.complete) return;
  std::string text = std::move(pending_);
  pending_.clear();
  editor_.Remember(text);
  ShellOutput output = MakeOutput();
  RunText("<stdin>", std::move(text), Batch::kEachStatement, output);
}

void Session::RunText(const std::string& origin, std::string text, Batch batch, Sink& output) {
  Pipeline pipeline(PipelineOptionsFrom(options_));
  std::optional<Diagnostic> error = pipeline.Parse(origin, std::move(text));
  if (!error) error = pipeline.Check();
  if (error) {
    PrintDiagnostic(*error);
    return;
  }
  const size_t n = pipeline.size();
  const size_t step = batch == Batch::kWhole ? n : 1;
  for (size_t first = 0; first < n; first += step) {
    const auto start = std::chrono::steady_clock::now();
    const Ran ran = pipeline.Run(first, first + step, output);
    if (ran.error) PrintDiagnostic(*ran.error);
    if (settings_.timing) {
      const std::chrono::duration<double, std::milli> elapsed =
          std::chrono::steady_clock::now() - start;
      Say(fmt::format("Time: {:.3f} ms\n", elapsed.count()));
    }
    if (ran.error) break;
  }
  catalog_.reset();
}

// The terminal's defaults (TerminalOptions) under the shell's settings;
// a pager only for results on a terminal, never for an \output file.
ShellOutput Session::MakeOutput() const {
  RenderOptions render = TerminalOptions(out_);
  render.format = settings_.format;
  render.ascii = settings_.ascii;
  render.expanded = settings_.expanded;
  const bool paged = settings_.pager && out_ == stdout && IsTerminal(stdout);
  return ShellOutput(out_, render, out_path_.empty() ? "standard output" : out_path_,
                     paged ? MakePager(stdout) : nullptr);
}

Status Session::SendResultsTo(const std::string& path) {
  std::FILE* f = stdout;
  if (!path.empty()) {
    f = std::fopen(path.c_str(), "w");
    if (!f) return Status::Io(fmt::format("cannot write {}: {}", path, std::strerror(errno)));
  }
  if (out_ != stdout) std::fclose(out_);
  out_ = f;
  out_path_ = path;
  return {};
}

const Catalog& Session::catalog() {
  if (!catalog_) catalog_ = LoadCatalog(options_.db);
  return *catalog_;
}

int RunShell(const Options& options) {
  // For libedit, so that Cyrillic input works; character classes only:
  // numbers keep the C locale.
  std::setlocale(LC_CTYPE, "");
  Session session(options);
  return session.Run();
}

}  // namespace docket::cli
