// One shell session: its settings, where results go, and the loop that
// reads lines and runs what they amount to. Meta-commands (meta_commands.h)
// act on it through ShellControl.
#pragma once

#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "cli/console_output.h"
#include "cli/options.h"
#include "cli/render.h"
#include "cli/shell/completion.h"
#include "cli/shell/line_editor.h"
#include "cli/shell/shell_control.h"

namespace docket::cli {

class Session : public ShellControl {
 public:
  explicit Session(const Options& options);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // The banner, then lines until \quit or Ctrl-D on an empty line. Returns 0.
  int Run();

  // ShellControl, for the meta-commands.
  const Options& options() const override { return options_; }
  ShellSettings& settings() override { return settings_; }
  void Say(std::string_view text) const override;
  void RunText(const std::string& origin, std::string text, Batch batch, Sink& output) override;
  ShellOutput MakeOutput() const override;
  Status SendResultsTo(const std::string& path) override;
  const std::string& results_path() const override { return out_path_; }
  const std::string& history_path() const override { return editor_.history_path(); }
  std::string ArchiveSummary() const override;
  void Quit() override { quit_ = true; }

 private:
  void PrintBanner();
  std::string_view PromptFor() const;
  void HandleLine(const std::string& line);
  // For completion; reloaded after statements run.
  const Catalog& catalog();

  Options options_;
  ShellSettings settings_;
  bool quit_ = false;
  std::FILE* out_ = stdout;  // results: stdout, or the \output file
  std::string out_path_;
  std::FILE* term_;      // the shell's own words: banner, prompts, help, settings
  std::string pending_;  // typed lines of statements not yet ended by `;`
  std::optional<Catalog> catalog_;
  LineEditor editor_;
};

}  // namespace docket::cli
