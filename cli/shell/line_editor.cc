#include "cli/shell/line_editor.h"

#include <fmt/format.h>
#include <histedit.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <filesystem>

#include "cli/diagnostics.h"
#include "cli/render.h"

namespace docket::cli {
namespace {

constexpr int kHistorySize = 2000;

volatile std::sig_atomic_t g_interrupted = 0;

void OnInterrupt(int) { g_interrupted = 1; }

// Code points in UTF-8 text.
size_t CharCount(std::string_view utf8) {
  return static_cast<size_t>(std::count_if(utf8.begin(), utf8.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xc0) != 0x80;
  }));
}

// The longest common prefix of the candidates' texts, cut back to whole
// UTF-8 characters.
std::string CommonPrefix(const std::vector<Candidate>& candidates) {
  std::string prefix = candidates.front().text;
  for (const auto& c : candidates) {
    size_t n = 0;
    while (n < prefix.size() && n < c.text.size() && prefix[n] == c.text[n]) ++n;
    prefix.resize(n);
  }
  while (!prefix.empty() && prefix.size() < candidates.front().text.size() &&
         (static_cast<unsigned char>(candidates.front().text[prefix.size()]) & 0xc0) == 0x80)
    prefix.pop_back();
  return prefix;
}

}  // namespace

std::string HistoryPath() {
  auto env = [](const char* name) -> std::string {
    const char* value = std::getenv(name);
    return value ? value : "";
  };
  if (std::string path = env("DOCKET_HISTORY"); !path.empty()) return path;
  if (std::string state = env("XDG_STATE_HOME"); state.starts_with('/'))
    return state + "/docket/history";
  if (std::string home = env("HOME"); !home.empty()) return home + "/.local/state/docket/history";
  return {};
}

LineEditor::LineEditor(std::FILE* term, std::string history_path, Completer completer)
    : term_(term), history_path_(std::move(history_path)), completer_(std::move(completer)) {
  HistEvent ev;
  history_ = history_init();
  history(history_, &ev, H_SETSIZE, kHistorySize);
  history(history_, &ev, H_SETUNIQUE, 1);
  if (!history_path_.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(history_path_).parent_path(), ec);
    history(history_, &ev, H_LOAD, history_path_.c_str());  // a missing file is no error
  }
  const char* end = nullptr;
  el_ = el_init("docket", stdin, term_, stderr);
  el_set(el_, EL_CLIENTDATA, this);
  el_set(el_, EL_EDITOR, "emacs");
  el_set(el_, EL_SIGNAL, 1);
  el_set(el_, EL_PROMPT, &LineEditor::Prompt);
  el_set(el_, EL_HIST, history, history_);
  el_set(el_, EL_ADDFN, "docket-complete", "Complete the word before the cursor",
         &LineEditor::OnTab);
  el_set(el_, EL_BIND, "^I", "docket-complete", end);
  el_set(el_, EL_BIND, "^R", "em-inc-search-prev", end);
  el_set(el_, EL_BIND, "^W", "ed-delete-prev-word", end);
  el_set(el_, EL_BIND, "^U", "em-kill-line", end);
  el_source(el_, nullptr);  // ~/.editrc may rebind keys

  struct sigaction sa {};
  sa.sa_handler = &OnInterrupt;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: Ctrl-C ends the read in el_gets
  sigaction(SIGINT, &sa, &old_interrupt_);
}

LineEditor::~LineEditor() {
  sigaction(SIGINT, &old_interrupt_, nullptr);
  el_end(el_);
  history_end(history_);
}

LineEditor::Read LineEditor::ReadLine(std::string_view prompt, std::string* line) {
  prompt_ = prompt;
  g_interrupted = 0;
  std::fflush(stdout);
  int count = 0;
  const char* text = el_gets(el_, &count);
  if (text == nullptr && g_interrupted) {
    std::fputs("\n", term_);
    std::fflush(term_);
    return Read::kCancelled;
  }
  if (text == nullptr || count <= 0) return Read::kEnd;
  line->assign(text, static_cast<size_t>(count));
  while (!line->empty() && (line->back() == '\n' || line->back() == '\r')) line->pop_back();
  return Read::kLine;
}

void LineEditor::Remember(const std::string& entry) {
  HistEvent ev;
  history(history_, &ev, H_ENTER, entry.c_str());
  if (history_path_.empty()) return;
  if (history(history_, &ev, H_SAVE, history_path_.c_str()) < 0) {
    PrintMessage("history",
                 fmt::format("cannot write {}; history is kept in memory only", history_path_));
    history_path_.clear();
  }
}

LineEditor* LineEditor::Of(EditLine* el) {
  void* data = nullptr;
  el_get(el, EL_CLIENTDATA, &data);
  return static_cast<LineEditor*>(data);
}

char* LineEditor::Prompt(EditLine* el) { return Of(el)->prompt_.data(); }

unsigned char LineEditor::OnTab(EditLine* el, int) { return Of(el)->Complete(el); }

// One candidate: it replaces the word, with its suffix. Several: their
// common prefix replaces the word when that changes it, else they are listed.
unsigned char LineEditor::Complete(EditLine* el) {
  const LineInfo* info = el_line(el);
  const std::string_view before(info->buffer, static_cast<size_t>(info->cursor - info->buffer));
  const Completion completion = completer_(before);
  if (completion.candidates.empty()) return CC_REFRESH_BEEP;
  const std::string_view typed = before.substr(completion.start);
  std::string replacement;
  if (completion.candidates.size() == 1) {
    replacement = completion.candidates.front().text + completion.candidates.front().suffix;
  } else {
    replacement = CommonPrefix(completion.candidates);
    if (replacement == typed || replacement.size() < typed.size()) {
      List(completion.candidates);
      return CC_REDISPLAY;
    }
  }
  el_deletestr(el, static_cast<int>(CharCount(typed)));
  el_insertstr(el, replacement.c_str());
  return CC_REFRESH;
}

// The candidates in columns under the input line.
void LineEditor::List(const std::vector<Candidate>& candidates) {
  constexpr size_t kMaxListed = 200;
  size_t widest = 0;
  for (const auto& c : candidates) widest = std::max(widest, DisplayWidth(c.text));
  const size_t column = widest + 2;
  const size_t per_line = std::max<size_t>(1, TerminalWidth(term_) / column);
  std::string out = "\n";
  const size_t shown = std::min(candidates.size(), kMaxListed);
  for (size_t i = 0; i < shown; ++i) {
    out += candidates[i].text;
    if ((i + 1) % per_line == 0 || i + 1 == shown) {
      out += '\n';
    } else {
      out.append(column - DisplayWidth(candidates[i].text), ' ');
    }
  }
  if (shown < candidates.size()) out += fmt::format("... and {} more\n", candidates.size() - shown);
  std::fputs(out.c_str(), term_);
}

}  // namespace docket::cli
