#include "cli/script.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include <fmt/format.h>

#include "cli/diagnostics.h"
#include "cli/plugin_output.h"
#include "query/lexicon.h"

namespace docket::cli {
namespace {

Result<std::string> ReadAll(const std::string& path) {
  if (path == "-") {
    std::ostringstream ss;
    ss << std::cin.rdbuf();
    return ss.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return Status::Error(ErrorKind::kNotFound, fmt::format("cannot open script {}", path));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return Status::Io(fmt::format("cannot read script {}", path));
  return text;
}

}  // namespace

void ConsoleOutput::Message(std::string_view where, std::string_view message) {
  std::fflush(stdout);
  std::fputs(fmt::format("docket: {}: {}\n", where, message).c_str(), stderr);
}

void ConsoleOutput::Check(std::string_view where, const CheckResult& result) {
  if (result.kind == CheckResult::Kind::kCheck) {
    for (const auto& line : CheckLines(result)) writer_.WriteText(line);
  } else if (auto message = AssertMessage(result)) {
    Message(where, *message);
  }
}

int ExitCode(CheckState state) {
  switch (state) {
    case CheckState::kOk: return 0;
    case CheckState::kWarning: return 1;
    case CheckState::kCritical: return 2;
    case CheckState::kUnknown: return 3;
  }
  return 3;
}

int RunScript(const Options& options) {
  ast::Script script;
  const ParseOptions parse{options.today};
  std::vector<ScriptArg> args = options.scripts;
  if (args.empty()) args.push_back({true, "-"});
  int e_count = 0;
  for (const auto& arg : args) {
    std::string origin, text;
    if (arg.is_file) {
      origin = arg.value == "-" ? "<stdin>" : arg.value;
      auto read = ReadAll(arg.value);
      if (!read.ok()) {
        PrintError(nullptr, read.status(), origin);
        return ExitCode(read.status().kind());
      }
      text = std::move(*read);
    } else {
      origin = ++e_count == 1 ? "-e" : fmt::format("-e#{}", e_count);
      text = arg.value;
    }
    if (Status s = ParsePiece(origin, std::move(text), parse, &script); !s.ok()) {
      PrintError(&script, s, origin);
      return ExitCode(s.kind());
    }
  }
  if (script.statements.empty()) return 0;
  const std::string& first_origin = script.pieces.front().origin;

  const bool writes = script.writes();
  if (writes && options.read_only) {
    for (const auto& st : script.statements) {
      if (!st.writes()) continue;
      const Status s = Status::Input("--read-only: define, record and retract are refused",
                                     Place{true, st.span.piece, st.span.begin});
      PrintError(&script, s, first_origin);
      return ExitCode(s.kind());
    }
  }

  // Names are checked against a read-only view first, so a typo never waits
  // for another writer's lock.
  auto fail = [&](const Status& s, std::string_view where) {
    PrintError(&script, s, where);
    return ExitCode(s.kind());
  };
  auto view = Archive::Open(options.db, ReadOpen());
  if (!view.ok() && !(writes && view.status().kind() == ErrorKind::kNotFound))
    return fail(view.status(), first_origin);
  if (Status s = CheckNames(script, view.ok() ? view->get() : nullptr); !s.ok()) return fail(s, first_origin);
  if (view.ok()) {
    for (const auto& name : ReservedNamesIn(**view))
      std::fputs(fmt::format("docket: {}: warning: {} is a reserved word since v1.1; statements "
                             "cannot name it\n", options.db, name).c_str(), stderr);
  }

  std::unique_ptr<Archive> archive;
  if (writes) {
    if (view.ok()) view->reset();
    auto opened = Archive::Open(options.db, OpenOptions{OpenOptions::Mode::kWrite, options.wait_seconds});
    if (!opened.ok()) return fail(opened.status(), first_origin);
    archive = std::move(*opened);
    // Another writer may have defined names meanwhile; they only grow.
    if (Status s = CheckNames(script, archive.get()); !s.ok()) return fail(s, first_origin);
  } else {
    archive = std::move(*view);
  }

  const bool terminal = ::isatty(STDOUT_FILENO) == 1;
  const bool color = terminal && std::getenv("NO_COLOR") == nullptr;
  ConsoleOutput output(stdout,
                       RenderOptions{options.format.value_or(terminal ? Format::kTable : Format::kCsv),
                                     options.ascii, color},
                       PlotOptions{TerminalWidth(stdout), options.ascii, color});
  const RunResult result =
      Run(script, 0, script.statements.size(), *archive, RunOptions{options.now}, output);
  std::fflush(stdout);
  if (!result.error.ok()) return fail(result.error, script.pieces[result.piece].origin);
  // Output that was lost (a full disk) fails the script before its writes
  // are committed, as any other error.
  if (std::ferror(stdout)) {
    std::fputs("docket: cannot write to standard output\n", stderr);
    return ExitCode(ErrorKind::kIo);
  }
  if (Status s = archive->Commit(); !s.ok()) return fail(s, first_origin);
  // A read-only run leaves without closing the archive: exiting releases its
  // files and lock, and RocksDB's orderly teardown would add a large share
  // of a one-shot query's time (figures in benchmarks/README.md).
  if (!writes) std::_Exit(ExitCode(result.state));
  return ExitCode(result.state);
}

}  // namespace docket::cli
