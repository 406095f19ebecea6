// Reading lines on the terminal: libedit with history and a completer.
// The only part of docket that knows libedit.
#pragma once

#include <signal.h>

#include <cstdio>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/shell/completion.h"

struct editline;
struct history;

namespace docket::cli {

// Where history is kept: $DOCKET_HISTORY, else $XDG_STATE_HOME/docket/history,
// else $HOME/.local/state/docket/history; empty when none of them is set.
std::string HistoryPath();

// While it reads, libedit also handles Ctrl-Z/fg (SIGTSTP, SIGCONT) and
// resizes (SIGWINCH). SIGINT only sets a flag while a LineEditor lives:
// during input it cancels the line, between inputs (a statement running)
// it is ignored. One LineEditor at a time.
class LineEditor {
 public:
  using Completer = std::function<Completion(std::string_view line)>;

  // `term` gets the prompt, the echo and completion lists. An empty
  // `history_path` keeps history in memory only.
  LineEditor(std::FILE* term, std::string history_path, Completer completer);
  ~LineEditor();
  LineEditor(const LineEditor&) = delete;
  LineEditor& operator=(const LineEditor&) = delete;

  enum class Read { kLine, kCancelled, kEnd };
  // Reads one line (without its newline) after `prompt`: kCancelled on
  // Ctrl-C, kEnd on Ctrl-D on an empty line or a read error.
  Read ReadLine(std::string_view prompt, std::string* line);
  // Adds an entry to the history and saves the history file; when that
  // fails, says so once and keeps history in memory from then on.
  void Remember(const std::string& entry);
  const std::string& history_path() const { return history_path_; }

 private:
  static char* Prompt(::editline* el);
  static unsigned char OnTab(::editline* el, int);
  static LineEditor* Of(::editline* el);
  unsigned char Complete(::editline* el);
  void List(const std::vector<Candidate>& candidates);

  std::FILE* term_;
  std::string history_path_;
  Completer completer_;
  std::string prompt_;
  ::editline* el_ = nullptr;
  struct ::history* history_ = nullptr;
  struct sigaction old_interrupt_ {};
};

}  // namespace docket::cli
