// Results taller than the terminal go through a pager, as psql's do: the
// only part of the shell that starts one.
#pragma once

#include <signal.h>

#include <sys/types.h>

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace docket::cli {

// The pager the shell uses: $PAGER, or `less -SRXF` when PAGER is unset;
// empty (no pager) when PAGER is set but empty.
std::string PagerCommand();

class Pager;

// A Pager for results shown on `terminal`, running PagerCommand(); null
// when that is empty or the terminal's size is unknown.
std::unique_ptr<Pager> MakePager(std::FILE* terminal);

// A stream for one result at a time. What is written between Begin and
// End is held until it is known to need as many screen lines as the
// terminal has (the next prompt would push its first line off the
// screen): then `command` starts through `sh -c` and gets it all, and the
// rest as it comes; otherwise End writes it to the terminal. Outside
// Begin/End, text goes to the terminal at once. If the pager quits
// before the end, the rest is dropped quietly. Not thread-safe.
class Pager {
 public:
  // `terminal` is where text goes without a pager; `rows` and `columns`
  // its size (a line wider than `columns` takes several screen lines).
  Pager(std::string command, std::FILE* terminal, size_t rows, size_t columns);
  ~Pager();  // End, if a result is still open
  Pager(const Pager&) = delete;
  Pager& operator=(const Pager&) = delete;

  // Results are written here (unbuffered, so nothing waits in it).
  std::FILE* file() const { return file_; }

  void Begin();
  // Ends the result: writes what is held to the terminal, or closes the
  // pager's input and waits for it to quit. Returns why the pager could
  // not run, if it could not (its text then went to the terminal).
  std::optional<std::string> End();

 private:
  static ssize_t Write(void* cookie, const char* data, size_t size);
  void Hold(std::string_view text);
  void Start();

  std::string command_;
  std::FILE* terminal_;
  size_t rows_, columns_;
  std::FILE* file_ = nullptr;
  bool holding_ = false;
  std::string held_;
  size_t held_rows_ = 0;  // screen lines of held_'s complete lines
  size_t counted_ = 0;    // bytes of held_ counted in held_rows_
  std::FILE* pipe_ = nullptr;  // the running pager's input
  bool pager_quit_ = false;    // it stopped reading before the end
  bool start_failed_ = false;  // popen failed for this result
  struct sigaction old_pipe_ {};
};

}  // namespace docket::cli
