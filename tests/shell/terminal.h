// A program in a pseudo-terminal: a detached tmux session with a server of
// its own (its socket in a temporary directory), driven by key presses and
// read back as the screen shows it.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace docket::shell_test {

// What the shell printed after an input line, and the prompt that followed.
struct Reply {
  std::string output;  // the lines between the input line and the prompt, each ending in "\n"
  std::string prompt;  // the new prompt line as shown, e.g. "docket>" or "   ...>"
};

class Terminal {
 public:
  // Runs the shell command line `command` in a pane of `columns`×`rows`;
  // once it exits the pane shows `[exited N]` and stays open. `socket` is
  // the tmux server's socket path. Fails the test if tmux cannot start.
  Terminal(const std::string& socket, const std::string& command, int columns = 120,
           int rows = 40);
  ~Terminal();  // kills the tmux server and whatever runs in it
  Terminal(const Terminal&) = delete;
  Terminal& operator=(const Terminal&) = delete;

  // Sends `text` as literal key presses. Keys that follow in order (Enter,
  // Tab, C-r) need no wait; a key the terminal turns into a signal (C-c,
  // C-z) does: the signal discards input the program has not read yet.
  void Type(const std::string& text);
  // Type, then waits until the last line ends with `text`: the program has
  // read it and echoed it.
  void TypeAndWaitForEcho(const std::string& text);
  // Presses one key by its tmux name: Enter, Tab, Up, C-c, C-d…
  void Press(const std::string& key);

  // Every line so far, scrollback included, wrapped lines joined, trailing
  // spaces and trailing empty lines dropped. `escapes` keeps colours as SGR
  // sequences.
  std::vector<std::string> Lines(bool escapes = false) const;

  // Polls the screen every 50 ms until `done(lines)` holds; after 30 s
  // fails the test with `what` and the screen. Returns the last lines seen.
  std::vector<std::string> WaitUntil(
      const std::function<bool(const std::vector<std::string>&)>& done, const std::string& what);
  // Waits for a line containing `text`.
  std::vector<std::string> WaitFor(const std::string& text);
  // Waits for the first prompt.
  void WaitForPrompt();

  // Presses `key` and waits until a new prompt is the last line.
  Reply Submit(const std::string& key = "Enter");
  // Types `line`, presses Enter, waits for the next prompt.
  Reply Enter(const std::string& line);

 private:
  void Tmux(const std::vector<std::string>& args) const;

  std::string socket_;
};

// `'text'` for sh, with embedded single quotes escaped.
std::string ShellQuote(const std::string& text);

}  // namespace docket::shell_test
