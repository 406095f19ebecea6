#include "cli/shell/pager.h"

#include <sys/ioctl.h>
#include <sys/wait.h>

#include <cstdlib>

#include <fmt/format.h>

#include "cli/render.h"

namespace docket::cli {
namespace {

// `line` without its SGR escapes (colour), which take no columns.
std::string WithoutEscapes(std::string_view line) {
  std::string visible;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\x1b' && i + 1 < line.size() && line[i + 1] == '[') {
      i += 2;
      while (i < line.size() && (line[i] < '@' || line[i] > '~')) ++i;
      continue;
    }
    visible += line[i];
  }
  return visible;
}

// The screen lines `line` takes on a terminal `columns` wide.
size_t ScreenLines(std::string_view line, size_t columns) {
  const size_t width = DisplayWidth(WithoutEscapes(line));
  return width == 0 ? 1 : (width + columns - 1) / columns;
}

}  // namespace

std::string PagerCommand() {
  const char* pager = std::getenv("PAGER");
  return pager ? pager : "less -SRXF";
}

std::unique_ptr<Pager> MakePager(std::FILE* terminal) {
  std::string command = PagerCommand();
  winsize ws{};
  if (command.empty() || ::ioctl(::fileno(terminal), TIOCGWINSZ, &ws) != 0 || ws.ws_row == 0 ||
      ws.ws_col == 0)
    return nullptr;
  return std::make_unique<Pager>(std::move(command), terminal, ws.ws_row, ws.ws_col);
}

Pager::Pager(std::string command, std::FILE* terminal, size_t rows, size_t columns)
    : command_(std::move(command)), terminal_(terminal), rows_(rows), columns_(columns) {
  cookie_io_functions_t io{};
  io.write = &Pager::Write;
  file_ = ::fopencookie(this, "w", io);
  if (file_) std::setvbuf(file_, nullptr, _IONBF, 0);
}

Pager::~Pager() {
  if (holding_ || pipe_) (void)End();
  if (file_) std::fclose(file_);
}

ssize_t Pager::Write(void* cookie, const char* data, size_t size) {
  auto* pager = static_cast<Pager*>(cookie);
  if (pager->pipe_) {
    if (!pager->pager_quit_ && std::fwrite(data, 1, size, pager->pipe_) != size) pager->pager_quit_ = true;
  } else if (pager->holding_) {
    pager->Hold({data, size});
  } else {
    std::fwrite(data, 1, size, pager->terminal_);
  }
  return static_cast<ssize_t>(size);
}

void Pager::Begin() {
  if (holding_ || pipe_) (void)End();  // a result cut short, never ended
  holding_ = true;
  start_failed_ = false;
  held_.clear();
  held_rows_ = 0;
  counted_ = 0;
}

void Pager::Hold(std::string_view text) {
  held_ += text;
  for (size_t newline; (newline = held_.find('\n', counted_)) != std::string::npos;) {
    held_rows_ += ScreenLines(std::string_view(held_).substr(counted_, newline - counted_), columns_);
    counted_ = newline + 1;
    if (held_rows_ >= rows_ && !start_failed_) {
      Start();
      return;
    }
  }
}

// From here on the pager gets the text. A pager that quits early must not
// end the shell: SIGPIPE is ignored while it runs.
void Pager::Start() {
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  ::sigaction(SIGPIPE, &ignore, &old_pipe_);
  std::fflush(terminal_);
  pipe_ = ::popen(command_.c_str(), "w");
  if (!pipe_) {
    ::sigaction(SIGPIPE, &old_pipe_, nullptr);
    start_failed_ = true;  // End tells; the text stays held for the terminal
    return;
  }
  holding_ = false;
  if (std::fwrite(held_.data(), 1, held_.size(), pipe_) != held_.size()) pager_quit_ = true;
  held_.clear();
}

std::optional<std::string> Pager::End() {
  holding_ = false;
  std::optional<std::string> failure;
  if (pipe_) {
    const int status = ::pclose(pipe_);
    pipe_ = nullptr;
    pager_quit_ = false;
    ::sigaction(SIGPIPE, &old_pipe_, nullptr);
    if (status == -1 || (WIFEXITED(status) && WEXITSTATUS(status) == 127))
      failure = fmt::format("cannot run the pager `{}` (PAGER); \\pager off shows results without one",
                            command_);
  } else {
    if (start_failed_) failure = fmt::format("cannot start the pager `{}`", command_);
    std::fwrite(held_.data(), 1, held_.size(), terminal_);
    std::fflush(terminal_);
  }
  held_.clear();
  return failure;
}

}  // namespace docket::cli
