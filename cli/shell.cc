// The interactive shell (shell.h). Reading: LineEditor wraps libedit
// (prompt, history, Ctrl-C, Tab). Deciding: a line that starts with `\`
// is a meta-command, run at once from kMetaCommands; other lines gather
// until the input ends with `;`. Running: each statement is checked against
// a fresh read-only view of the archive and run on a fresh open of its
// own, so the write lock is held only while a writing statement runs.
#include "cli/shell.h"

#include <fmt/format.h>
#include <histedit.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <utility>

#include "cli/diagnostics.h"
#include "cli/plot.h"
#include "cli/render.h"
#include "cli/script.h"
#include "query/lexicon.h"
#include "query/query.h"

namespace docket::cli {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kPrompt = "docket> ";
constexpr std::string_view kContinuationPrompt = "   ...> ";
constexpr std::string_view kStringPrompt = "  \"...> ";
constexpr int kHistorySize = 2000;

// ---------------------------------------------------------------- text

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool IsWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}
std::string_view TrimRight(std::string_view s) {
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

// The identifier that ends `s` (possibly empty).
std::string_view LastWord(std::string_view s) {
  size_t start = s.size();
  while (start > 0 && IsWordChar(s[start - 1])) --start;
  return s.substr(start);
}

// Code points in UTF-8 text.
size_t CharCount(std::string_view utf8) {
  return static_cast<size_t>(std::count_if(utf8.begin(), utf8.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xc0) != 0x80;
  }));
}

bool StartsWithIgnoringCase(std::string_view text, std::string_view prefix) {
  if (prefix.size() > text.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(text[i]) != lower(prefix[i])) return false;
  }
  return true;
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

bool IsTerminal(std::FILE* f) { return ::isatty(::fileno(f)) == 1; }

void PrintMessage(std::string_view where, std::string_view message) {
  std::fflush(stdout);
  std::fputs(fmt::format("docket: {}: {}\n", where, message).c_str(), stderr);
}

// ---------------------------------------------------------------- help

// A statement or subject of the language: the overview shows the example,
// `\help NAME` the text.
struct HelpTopic {
  std::string_view name, example, text;
};

constexpr std::array kHelpTopics = {
    HelpTopic{
        "selectors", "treason[2024];  espionage{citizenship=*}[2019..2024];",
        "A query is a statement: a selector, a function or arithmetic on them.\n"
        "  treason                         every period of the unlabelled series\n"
        "  treason[2024]                   one cell\n"
        "  treason[2019..2024]             a range; both ends of one granularity\n"
        "  espionage{citizenship=\"UA\"}     a labelled series\n"
        "  espionage{citizenship=*}[2024]  every series whose label keys are exactly {citizenship}\n"
        "Periods: 2024 (year), 2024-H1 (half), 2024-Q3 (quarter), 2024-07 (month).\n"
        "Rows: series, period, value, lo, hi, approx, source, reported.\n"
        "Example: espionage{citizenship=*}[2024];\n"},
    HelpTopic{
        "functions", "growth(treason, 2023, 2024);  sum(espionage{citizenship=*}[2024]);",
        "  growth(treason, 2023, 2024)          ratio to/from; range form: growth(treason[2015..2024])\n"
        "  change(treason, 2023, 2024)          difference\n"
        "  pct(treason, 2023, 2024)             percent change\n"
        "  sum(espionage{citizenship=*}[2024])  also min, max, count: rows of one period combined\n"
        "  revisions(espionage[2024])           every report and correction\n"
        "  conflicts(espionage)                 cells where two sources cannot both be right\n"
        "Arithmetic: + - * / and parentheses; a plain number applies to every row.\n"
        "Example: treason[2024-H1] / treason[2024];\n"},
    HelpTopic{"modifiers", "espionage[2024] as of 2024-12-31 by source;",
              "A query may end with modifiers, in any order, each at most once:\n"
              "  ... as of 2024-12-31                  only what was reported by then\n"
              "  ... recorded as of 2025-03-01T12:00Z  only what the archive held then\n"
              "  ... from RTVI, IStories               only these sources\n"
              "  ... by source                         one row per source instead of the winner\n"
              "Example: espionage[2024] as of 2024-12-31 by source;\n"},
    HelpTopic{"values", "state_secrets[2024] / state_secrets[2023];",
              "Values are intervals: 145 (exact), >=28 (at least), <=10 (at most),\n"
              "~36 (approximately), 28..40 (in between), ? (unknown). Arithmetic keeps\n"
              "the bounds: >=209 over ~157 is ~>=1.33. Counts show as integers, ratios\n"
              "with two decimals.\n"
              "Example: state_secrets[2024] / state_secrets[2023];\n"},
    HelpTopic{"define", "define charge treason title \"High treason\" article \"275\";",
              "define charge NAME [title \"...\"] [article \"...\"];\n"
              "define source NAME [title \"...\"] [url \"...\"] [priority N];\n"
              "Defining an existing name changes only the attributes given.\n"
              "Example: define source IStories title \"Important Stories\" priority 10;\n"},
    HelpTopic{
        "record", "record treason[2024] = 145 from IStories on 2025-04;",
        "record SERIES[PERIOD] (= | >= | <= | ~) COUNT from SOURCE on DATE [note \"...\"] [url \"...\"];\n"
        "DATE is when the source published it: 2025-04-17, 2025-04 or 2025.\n"
        "An identical record changes nothing; a different one is a correction,\n"
        "kept beside the old version.\n"
        "Example: record espionage{citizenship=\"UA\"}[2024] >= 18 from RTVI on 2024-12;\n"},
    HelpTopic{"retract", "retract espionage[2024] from RTVI on 2025-03-01;",
              "retract SERIES[PERIOD] from SOURCE on DATE [note \"...\"];\n"
              "Withdraws the source's figure for the cell from that date on.\n"
              "Example: retract espionage[2024] from RTVI on 2025-03-01 note \"superseded\";\n"},
    HelpTopic{"assert", "assert treason[2024] >= 100;",
              "assert EXPR [MODIFIERS] CMP NUMBER [else \"message\"];   CMP: = != < <= > >=\n"
              "Silent when true; otherwise says failed, or unknown (no rows, or an\n"
              "interval on both sides of the threshold).\n"
              "Example: assert growth(treason, 2023, 2024) < 5 else \"more than quintupled\";\n"},
    HelpTopic{"check", "check growth(treason, 2023, 2024) warn > 3 crit > 5;",
              "check EXPR [MODIFIERS] [warn CMP NUMBER] [crit CMP NUMBER];\n"
              "One Nagios-style line per row: DOCKET OK|WARNING|CRITICAL|UNKNOWN - ...\n"
              "Example: check growth(treason, 2023, 2024) warn > 3 crit > 5;\n"},
    HelpTopic{
        "show", "show charges;  show sources;  show series espionage;",
        "show charges;         charge, title, article          (also \\charges)\n"
        "show sources;         source, title, url, priority    (also \\sources)\n"
        "show series CHARGE;   series, periods, first, last, sources, reports (also \\series)\n"
        "Example: show series espionage;\n"},
    HelpTopic{"describe", "describe treason;",
              "describe CHARGE;   one row per series: title, article, periods covered, sources\n"
              "Example: describe treason;\n"},
    HelpTopic{"plot", "plot treason[2015..2024];",
              "plot EXPR [MODIFIERS];   a horizontal bar chart of value rows\n"
              "One bar per row, grouped by series, scaled to the terminal width, with\n"
              "the value and the source after each bar:\n"
              "  █████ exact   ▓▓▓▓▓ approximate (~)   █████▶ at least (>=)\n"
              "  ░░░░░ at most (<=), or the uncertain part of a range (28..40)\n"
              "With `by source`, one bar per source per period. \\ascii draws # ~ . >\n"
              "Example: plot espionage[2024] by source;\n"},
    HelpTopic{"changes", "changes since 2025-01-01;",
              "changes since DATE | TIMESTAMP;   every version recorded after then, oldest first\n"
              "Example: changes since 2025-01-01T00:00Z;\n"},
    HelpTopic{
        "keys", "Tab, Up/Down, Ctrl-R, Ctrl-C, Ctrl-D",
        "  Enter           run the input once it ends with `;` (else a new line: ...>)\n"
        "  Tab             complete keywords, functions, charges, sources, label keys and values\n"
        "  Up, Down        previous and next entries of the history\n"
        "  Ctrl-R          search the history backwards as you type\n"
        "  Ctrl-A, Ctrl-E  start, end of the line; Ctrl-W deletes a word, Ctrl-U the line\n"
        "  Ctrl-C          cancel the input being typed (the shell stays)\n"
        "  Ctrl-D          on an empty line: leave the shell\n"},
};

const HelpTopic* FindTopic(std::string_view name) {
  for (const auto& t : kHelpTopics)
    if (t.name == name) return &t;
  return nullptr;
}

// ---------------------------------------------------------------- line editing

volatile std::sig_atomic_t g_interrupted = 0;

void OnInterrupt(int) { g_interrupted = 1; }

// libedit with history and a completer. While it reads, libedit also
// handles Ctrl-Z/fg (SIGTSTP, SIGCONT) and resizes (SIGWINCH). SIGINT only
// sets a flag while a LineEditor lives: during input it cancels the line,
// between inputs (a statement running) it is ignored.
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
  // Adds an entry to the history and saves the history file.
  void Remember(const std::string& entry);
  const std::string& history_path() const { return history_path_; }

 private:
  static char* Prompt(EditLine* el);
  static unsigned char OnTab(EditLine* el, int);
  static LineEditor* Of(EditLine* el);
  unsigned char Complete(EditLine* el);
  void List(const std::vector<Candidate>& candidates);

  std::FILE* term_;
  std::string history_path_;
  Completer completer_;
  std::string prompt_;
  EditLine* el_ = nullptr;
  History* history_ = nullptr;
  struct sigaction old_interrupt_ {};
};

LineEditor::LineEditor(std::FILE* term, std::string history_path, Completer completer)
    : term_(term), history_path_(std::move(history_path)), completer_(std::move(completer)) {
  HistEvent ev;
  history_ = history_init();
  history(history_, &ev, H_SETSIZE, kHistorySize);
  history(history_, &ev, H_SETUNIQUE, 1);
  if (!history_path_.empty()) {
    std::error_code ec;
    fs::create_directories(fs::path(history_path_).parent_path(), ec);
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

// ---------------------------------------------------------------- the shell

enum class Arg { kNone, kFormat, kOnOff, kTopic, kCharge, kFile };

class Shell;

// One meta-command. kMetaCommands drives dispatch, \help and "did you mean".
struct MetaCommand {
  std::string_view name;     // `\format`
  std::string_view alias;    // another name, or empty
  std::string_view usage;    // `\format [F]`
  std::string_view summary;  // one line for \help
  Arg arg;                   // what completes the argument (kNone: it takes none)
  bool argument_required;
  void (Shell::*run)(std::string_view argument);
};

// How a text's statements run: typed input one statement at a time, each
// committed at once; a script file (\read) as one batch, like `docket -f`.
enum class Batch { kEachStatement, kWhole };

class Shell {
 public:
  explicit Shell(const Options& options);
  ~Shell();
  Shell(const Shell&) = delete;
  Shell& operator=(const Shell&) = delete;

  int Run();

  // ---- meta-commands
  void Help(std::string_view topic);
  void SetFormat(std::string_view name);
  void SetTiming(std::string_view on_off);
  void SetAscii(std::string_view on_off);
  void ShowCharges(std::string_view);
  void ShowSources(std::string_view);
  void ShowSeries(std::string_view charge);
  void ReadScript(std::string_view path);
  void SetOutput(std::string_view path);
  void DescribeArchive(std::string_view);
  void Quit(std::string_view);

 private:
  // Writes what the shell says (not results) to the terminal, after any
  // pending results.
  void Say(std::string_view text) const;
  void PrintBanner();
  std::string_view PromptFor() const;
  void HandleLine(const std::string& line);
  void RunMeta(std::string_view line);

  // Parses `text` (one piece from `origin`), refuses writes with
  // --read-only, checks names, then runs it in `batch`es, timed with
  // \timing. Errors are printed with their place.
  void RunText(const std::string& origin, std::string text, Batch batch, Output& output);
  Status RefuseWrites(const ast::Script& script) const;
  // Checks names against a read-only view taken now, kept in `checked_`.
  Status CheckNames(const ast::Script& script);
  // RunRange, then the elapsed time with \timing.
  bool RunTimed(const ast::Script& script, size_t first, size_t last, Output& output);
  // Runs statements [first, last) on a fresh view of the archive (the one
  // CheckNames just took, for the first range that only reads) or on a
  // write open when one of them writes, committed when none fails. False
  // on error.
  bool RunRange(const ast::Script& script, size_t first, size_t last, Output& output);
  // Sets `flag` from "on"/"off", or flips it for an empty argument, and
  // says its new state.
  void Toggle(std::string_view on_off, bool* flag, std::string_view command);
  // Results in the current format to the current output; colour only on a
  // terminal without NO_COLOR.
  ConsoleOutput MakeOutput() const;
  Micros Now() const;
  // For completion; reloaded after statements run.
  const Catalog& catalog();

  Options options_;
  Format format_;
  bool timing_ = false;
  bool ascii_;
  bool quit_ = false;
  std::FILE* out_ = stdout;  // results: stdout, or the \output file
  std::string out_path_;
  std::FILE* term_;      // the shell's own words: banner, prompts, help, settings
  std::string pending_;  // typed lines of statements not yet ended by `;`
  std::optional<Catalog> catalog_;
  std::unique_ptr<Archive> checked_;  // CheckNames' view, until a statement uses it
  LineEditor editor_;
};

constexpr std::array kMetaCommands = {
    MetaCommand{"\\help", "\\?", "\\help [TOPIC]",
                "this help, or help on a statement, topic or meta-command", Arg::kTopic, false,
                &Shell::Help},
    MetaCommand{"\\format", "", "\\format [F]",
                "results as table, csv, tsv, json, jsonl or markdown", Arg::kFormat, false,
                &Shell::SetFormat},
    MetaCommand{"\\timing", "", "\\timing [on|off]", "print how long each statement took",
                Arg::kOnOff, false, &Shell::SetTiming},
    MetaCommand{"\\ascii", "", "\\ascii [on|off]",
                "tables and charts without box or block characters", Arg::kOnOff, false,
                &Shell::SetAscii},
    MetaCommand{"\\charges", "", "\\charges", "the defined charges (show charges)", Arg::kNone,
                false, &Shell::ShowCharges},
    MetaCommand{"\\sources", "", "\\sources", "the defined sources (show sources)", Arg::kNone,
                false, &Shell::ShowSources},
    MetaCommand{"\\series", "", "\\series [CHARGE]", "the series of CHARGE, or of every charge",
                Arg::kCharge, false, &Shell::ShowSeries},
    MetaCommand{"\\read", "", "\\read FILE",
                "run a script file: checked whole, written as one batch", Arg::kFile, true,
                &Shell::ReadScript},
    MetaCommand{"\\output", "", "\\output [FILE]",
                "send results to FILE; without FILE, back to the terminal", Arg::kFile, false,
                &Shell::SetOutput},
    MetaCommand{"\\db", "", "\\db", "the archive in use, its size and the shell's settings",
                Arg::kNone, false, &Shell::DescribeArchive},
    MetaCommand{"\\quit", "\\q", "\\quit", "leave the shell; so does Ctrl-D on an empty line",
                Arg::kNone, false, &Shell::Quit},
};

const MetaCommand* FindMeta(std::string_view name) {
  for (const auto& m : kMetaCommands)
    if (m.name == name || (!m.alias.empty() && m.alias == name)) return &m;
  return nullptr;
}

std::set<std::string, std::less<>> MetaNames() {
  std::set<std::string, std::less<>> names;
  for (const auto& m : kMetaCommands) names.emplace(m.name);
  return names;
}

// ---------------------------------------------------------------- completion

// Gathers the words offered for a prefix: the case-sensitive matches if
// there are any, else the case-insensitive ones.
class Matcher {
 public:
  explicit Matcher(std::string_view prefix) : prefix_(prefix) {}
  void Offer(std::string_view word, std::string_view suffix) {
    if (word.starts_with(prefix_)) {
      exact_.push_back({std::string(word), std::string(suffix)});
    } else if (StartsWithIgnoringCase(word, prefix_)) {
      folded_.push_back({std::string(word), std::string(suffix)});
    }
  }
  std::vector<Candidate> Take() {
    std::vector<Candidate> out = exact_.empty() ? std::move(folded_) : std::move(exact_);
    std::stable_sort(out.begin(), out.end(),
                     [](const Candidate& a, const Candidate& b) { return a.text < b.text; });
    out.erase(std::unique(out.begin(), out.end(),
                          [](const Candidate& a, const Candidate& b) { return a.text == b.text; }),
              out.end());
    return out;
  }

 private:
  std::string_view prefix_;
  std::vector<Candidate> exact_, folded_;
};

// Where the end of a line stands lexically.
struct LineState {
  bool in_comment = false;
  std::optional<size_t> string_start;  // just after the quote of an open string
  std::optional<size_t> brace;         // an unclosed `{`
};

LineState StateOf(std::string_view line) {
  LineState state;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (state.string_start) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        state.string_start.reset();
      }
    } else if (c == '-' && i + 1 < line.size() && line[i + 1] == '-') {
      state.in_comment = true;
      return state;
    } else if (c == '"') {
      state.string_start = i + 1;
    } else if (c == '{') {
      state.brace = i;
    } else if (c == '}') {
      state.brace.reset();
    }
  }
  return state;
}

// The charge written before the brace at `brace`.
std::string_view ChargeBefore(std::string_view line, size_t brace) {
  return LastWord(TrimRight(line.substr(0, brace)));
}

void OfferLabelKeys(const Catalog& catalog, std::string_view charge, Matcher* m) {
  auto offer = [&](const std::map<std::string, std::set<std::string>>& keys) {
    for (const auto& [key, values] : keys) m->Offer(key, "=");
  };
  if (auto it = catalog.labels.find(std::string(charge)); it != catalog.labels.end()) {
    offer(it->second);
  } else {
    for (const auto& [name, keys] : catalog.labels) offer(keys);
  }
}

void OfferLabelValues(const Catalog& catalog, std::string_view charge, std::string_view key,
                      Matcher* m) {
  auto offer = [&](const std::map<std::string, std::set<std::string>>& keys) {
    const auto it = keys.find(std::string(key));
    if (it == keys.end()) return;
    for (const auto& value : it->second) {
      const std::string quoted = QuoteString(value);  // escapes `"` and `\`
      m->Offer(std::string_view(quoted).substr(1, quoted.size() - 2), "\"");
    }
  };
  if (auto it = catalog.labels.find(std::string(charge)); it != catalog.labels.end()) {
    offer(it->second);
  } else {
    for (const auto& [name, keys] : catalog.labels) offer(keys);
  }
}

// Inside `key="…`: the values of that key.
Completion CompleteLabelValue(std::string_view line, const LineState& state,
                              const Catalog& catalog) {
  const size_t start = *state.string_start;
  std::string_view before = TrimRight(line.substr(0, start - 1));
  if (!state.brace || !before.ends_with('=')) return {line.size(), {}};
  before.remove_suffix(1);
  const std::string_view key = LastWord(TrimRight(before));
  Matcher m(line.substr(start));
  OfferLabelValues(catalog, ChargeBefore(line, *state.brace), key, &m);
  return {start, m.Take()};
}

// True when `before` ends with `from` and a comma-separated list of names.
bool AfterFrom(std::string_view before) {
  while (true) {
    before = TrimRight(before);
    if (LastWord(before) == "from") return true;
    if (!before.ends_with(',')) return false;
    before = TrimRight(before.substr(0, before.size() - 1));
    const std::string_view name = LastWord(before);
    if (name.empty()) return false;
    before.remove_suffix(name.size());
  }
}

Completion CompleteWord(std::string_view line, const LineState& state, const Catalog& catalog) {
  const size_t start = line.size() - LastWord(line).size();
  Matcher m(line.substr(start));
  const std::string_view before = TrimRight(line.substr(0, start));
  if (state.brace && (before.ends_with('{') || before.ends_with(','))) {
    OfferLabelKeys(catalog, ChargeBefore(line, *state.brace), &m);
  } else if (AfterFrom(before)) {
    for (const auto& s : catalog.sources) m.Offer(s, "");
  } else if (LastWord(before) == "series" || LastWord(before) == "describe") {
    for (const auto& c : catalog.charges) m.Offer(c, "");
  } else {
    // Function names are completed with `(`, the other keywords with a space.
    for (auto k : KeywordsInUse()) m.Offer(k, FindFunction(k) ? "(" : " ");
    for (const auto& c : catalog.charges) m.Offer(c, "");
    for (const auto& s : catalog.sources) m.Offer(s, "");
  }
  return {start, m.Take()};
}

// Files and directories (with a `/`) whose path starts with `typed`;
// hidden ones only when asked for with a leading dot.
std::vector<Candidate> FileCandidates(std::string_view typed) {
  const size_t slash = typed.rfind('/');
  const std::string dir(slash == std::string_view::npos ? "" : typed.substr(0, slash + 1));
  const std::string_view base = typed.substr(dir.size());
  std::vector<Candidate> out;
  std::error_code ec;
  for (fs::directory_iterator it(dir.empty() ? "." : dir, ec), end; !ec && it != end;
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (!name.starts_with(base) || (name.front() == '.' && !base.starts_with('.'))) continue;
    std::error_code type_ec;
    out.push_back({dir + name + (it->is_directory(type_ec) ? "/" : ""), ""});
  }
  std::sort(out.begin(), out.end(),
            [](const Candidate& a, const Candidate& b) { return a.text < b.text; });
  return out;
}

// A line starting with `\` (at `lead`): the command's name, or its argument.
Completion CompleteMeta(std::string_view line, size_t lead, const Catalog& catalog) {
  const std::string_view command = line.substr(lead);
  const size_t space = command.find_first_of(" \t");
  if (space == std::string_view::npos) {
    Matcher m(command);
    for (const auto& meta : kMetaCommands) m.Offer(meta.name, meta.arg == Arg::kNone ? "" : " ");
    return {lead, m.Take()};
  }
  const MetaCommand* meta = FindMeta(command.substr(0, space));
  if (!meta) return {line.size(), {}};
  if (meta->arg == Arg::kFile) {
    size_t start = lead + space;
    while (start < line.size() && IsSpace(line[start])) ++start;
    return {start, FileCandidates(line.substr(start))};
  }
  const size_t start = line.find_last_of(" \t") + 1;
  Matcher m(line.substr(start));
  switch (meta->arg) {
    case Arg::kFormat:
      for (auto f = static_cast<int>(Format::kTable); f <= static_cast<int>(Format::kMarkdown); ++f)
        m.Offer(FormatName(static_cast<Format>(f)), "");
      break;
    case Arg::kOnOff:
      m.Offer("on", "");
      m.Offer("off", "");
      break;
    case Arg::kTopic:
      for (const auto& t : kHelpTopics) m.Offer(t.name, "");
      for (const auto& other : kMetaCommands) m.Offer(other.name, "");
      break;
    case Arg::kCharge:
      for (const auto& c : catalog.charges) m.Offer(c, "");
      break;
    case Arg::kNone:
    case Arg::kFile:
      break;
  }
  return {start, m.Take()};
}

// The catalog of the archive at `db`; empty when it cannot be opened.
Catalog LoadCatalog(const std::string& db) {
  Catalog catalog;
  auto opened = Archive::Open(db, ReadOpen());
  if (!opened.ok()) return catalog;
  Archive& archive = **opened;
  for (const auto& [name, charge] : archive.charges()) {
    catalog.charges.insert(name);
    auto series = archive.SeriesOf(name);
    if (!series.ok()) continue;
    auto& keys = catalog.labels[name];
    for (const auto& info : *series)
      for (const auto& [key, value] : info.key.labels) keys[key].insert(value);
  }
  for (const auto& [name, source] : archive.sources()) catalog.sources.insert(name);
  return catalog;
}

// ---------------------------------------------------------------- running

// Passes everything on, except results, which it gathers into one table
// (the columns of the first), ordered by the first field.
class MergingOutput : public Output {
 public:
  explicit MergingOutput(Output& next) : next_(next) {}
  void Rows(const Table& table) override {
    if (merged_.columns.empty()) merged_.columns = table.columns;
    merged_.rows.insert(merged_.rows.end(), table.rows.begin(), table.rows.end());
  }
  void Plot(const Table& rows) override { next_.Plot(rows); }
  void Check(std::string_view where, const CheckResult& result) override {
    next_.Check(where, result);
  }
  void Message(std::string_view where, std::string_view message) override {
    next_.Message(where, message);
  }
  Table Merged() {
    std::stable_sort(merged_.rows.begin(), merged_.rows.end(),
                     [](const auto& a, const auto& b) { return a.front().text < b.front().text; });
    return merged_;
  }

 private:
  Output& next_;
  Table merged_;
};

int32_t TodayOf(Micros now) {
  return static_cast<int32_t>(now / kMicrosPerDay - (now % kMicrosPerDay < 0 ? 1 : 0));
}

// "5 series, 25 reports (27 versions)", or why there is no count.
std::string ArchiveSummary(const std::string& db) {
  auto opened = Archive::Open(db, ReadOpen());
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

std::string HelpOverview() {
  std::string text =
      "Statements end with `;` and may span lines; `--` starts a comment.\n"
      "\\help TOPIC tells more about one of these:\n\n";
  for (const auto& t : kHelpTopics) text += fmt::format("  {:<10} {}\n", t.name, t.example);
  text += "\nMeta-commands, each on a line of its own (no `;`):\n";
  for (const auto& m : kMetaCommands) {
    text += fmt::format("  {:<17} {}", m.usage, m.summary);
    if (!m.alias.empty()) text += fmt::format(" (also {})", m.alias);
    text += '\n';
  }
  return text;
}

Shell::Shell(const Options& options)
    : options_(options),
      format_(options.format.value_or(IsTerminal(stdout) ? Format::kTable : Format::kCsv)),
      ascii_(options.ascii),
      term_(IsTerminal(stdout) ? stdout : stderr),
      editor_(term_, HistoryPath(),
              [this](std::string_view line) { return Complete(line, catalog()); }) {}

Shell::~Shell() {
  if (out_ != stdout) std::fclose(out_);
}

int Shell::Run() {
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

void Shell::Say(std::string_view text) const {
  std::fflush(out_);
  std::fwrite(text.data(), 1, text.size(), term_);
  std::fflush(term_);
}

void Shell::PrintBanner() {
  Say(fmt::format("docket {} on {}: {}{}\n", DOCKET_VERSION, options_.db,
                  ArchiveSummary(options_.db), options_.read_only ? " (read-only)" : ""));
  Say("Statements end with `;`. \\help for help, \\quit or Ctrl-D to leave.\n");
}

std::string_view Shell::PromptFor() const {
  if (pending_.empty()) return kPrompt;
  return ScanInput(pending_).in_string ? kStringPrompt : kContinuationPrompt;
}

// A meta-command runs at once (unless the line continues an open string);
// other lines gather until the input ends with `;`. What runs is in the
// history first, so a line with an error is never lost.
void Shell::HandleLine(const std::string& line) {
  const std::string_view trimmed = Trim(line);
  if (trimmed.starts_with('\\') && !ScanInput(pending_).in_string) {
    editor_.Remember(std::string(trimmed));
    RunMeta(trimmed);
    return;
  }
  if (!pending_.empty()) pending_ += '\n';
  pending_ += line;
  const InputScan scan = ScanInput(pending_);
  if (scan.blank) {
    pending_.clear();
    return;
  }
  if (!scan.complete) return;
  std::string text = std::move(pending_);
  pending_.clear();
  editor_.Remember(text);
  ConsoleOutput output = MakeOutput();
  RunText("<stdin>", std::move(text), Batch::kEachStatement, output);
}

// A trailing `;` is forgiven: `\quit;` quits.
void Shell::RunMeta(std::string_view line) {
  if (line.ends_with(';')) line = TrimRight(line.substr(0, line.size() - 1));
  const size_t space = line.find_first_of(" \t");
  const std::string_view name = line.substr(0, space);
  const std::string_view argument = space == std::string_view::npos ? "" : Trim(line.substr(space));
  const MetaCommand* meta = FindMeta(name);
  if (!meta) {
    PrintMessage("<stdin>",
                 UnknownName("meta-command", name, MetaNames()) + " (\\help lists them)");
  } else if (meta->arg == Arg::kNone && !argument.empty()) {
    PrintMessage(meta->name, fmt::format("takes no argument: {}", meta->usage));
  } else if (meta->argument_required && argument.empty()) {
    PrintMessage(meta->name, fmt::format("usage: {}", meta->usage));
  } else {
    (this->*meta->run)(argument);
  }
}

Status Shell::RefuseWrites(const ast::Script& script) const {
  if (!options_.read_only) return {};
  for (const auto& st : script.statements) {
    if (st.writes())
      return Status::Input("--read-only: define, record and retract are refused",
                           Place{true, st.span.piece, st.span.begin});
  }
  return {};
}

// Against a read-only view taken now; a missing archive is an empty catalog
// when the script writes (it will create it), else an error.
Status Shell::CheckNames(const ast::Script& script) {
  auto view = Archive::Open(options_.db, ReadOpen());
  if (!view.ok() && (view.status().kind() != ErrorKind::kNotFound || !script.writes()))
    return view.status();
  Status s = docket::CheckNames(script, view.ok() ? view->get() : nullptr);
  if (s.ok() && view.ok()) checked_ = std::move(*view);
  return s;
}

void Shell::RunText(const std::string& origin, std::string text, Batch batch, Output& output) {
  ast::Script script;
  const Status parsed =
      ParsePiece(origin, std::move(text), docket::ParseOptions{TodayOf(Now())}, &script);
  Status s = parsed.ok() ? RefuseWrites(script) : parsed;
  if (s.ok() && !script.statements.empty()) s = CheckNames(script);
  if (!s.ok()) {
    PrintError(&script, s, origin);
    return;
  }
  const size_t n = script.statements.size();
  if (batch == Batch::kWhole) {
    if (n > 0) RunTimed(script, 0, n, output);
  } else {
    for (size_t i = 0; i < n; ++i)
      if (!RunTimed(script, i, i + 1, output)) break;
  }
  checked_.reset();
  catalog_.reset();
}

bool Shell::RunTimed(const ast::Script& script, size_t first, size_t last, Output& output) {
  const auto start = std::chrono::steady_clock::now();
  const bool ok = RunRange(script, first, last, output);
  if (timing_) {
    const std::chrono::duration<double, std::milli> elapsed =
        std::chrono::steady_clock::now() - start;
    Say(fmt::format("Time: {:.3f} ms\n", elapsed.count()));
  }
  return ok;
}

bool Shell::RunRange(const ast::Script& script, size_t first, size_t last, Output& output) {
  bool writes = false;
  for (size_t i = first; i < last; ++i) writes = writes || script.statements[i].writes();
  const std::string& origin = script.pieces[script.statements[first].span.piece].origin;
  std::unique_ptr<Archive> archive = std::move(checked_);  // the checked view serves once
  if (writes || !archive) {
    archive.reset();
    OpenOptions open = ReadOpen();
    if (writes) open = OpenOptions{OpenOptions::Mode::kWrite, options_.wait_seconds};
    auto opened = Archive::Open(options_.db, open);
    if (!opened.ok()) {
      PrintError(nullptr, opened.status(), origin);
      return false;
    }
    archive = std::move(*opened);
  }
  const RunResult result = docket::Run(script, first, last, *archive, RunOptions{Now()}, output);
  std::fflush(out_);
  if (!result.error.ok()) {
    PrintError(&script, result.error, script.pieces[result.piece].origin);
    return false;
  }
  if (Status s = archive->Commit(); !s.ok()) {
    PrintError(nullptr, s, origin);
    return false;
  }
  return true;
}

ConsoleOutput Shell::MakeOutput() const {
  const bool color = IsTerminal(out_) && std::getenv("NO_COLOR") == nullptr;
  return ConsoleOutput(out_, RenderOptions{format_, ascii_, color},
                       PlotOptions{TerminalWidth(out_), ascii_, color});
}

// DOCKET_NOW, else the clock at this moment.
Micros Shell::Now() const {
  if (std::getenv("DOCKET_NOW")) return options_.now;
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

const Catalog& Shell::catalog() {
  if (!catalog_) catalog_ = LoadCatalog(options_.db);
  return *catalog_;
}

// ---- meta-commands

void Shell::Help(std::string_view topic) {
  std::string text;
  const MetaCommand* meta = FindMeta(topic);
  if (!meta && !topic.empty()) meta = FindMeta("\\" + std::string(topic));
  if (topic.empty()) {
    text = HelpOverview();
  } else if (const HelpTopic* found = FindTopic(topic)) {
    text = found->text;
  } else if (meta) {
    text = fmt::format("{}  {}\n", meta->usage, meta->summary);
  } else {
    auto names = MetaNames();
    for (const auto& t : kHelpTopics) names.emplace(t.name);
    PrintMessage("\\help", UnknownName("help topic", topic, names));
    return;
  }
  Say(text);
}

void Shell::SetFormat(std::string_view name) {
  if (name.empty()) {
    Say(fmt::format("format is {}\n", FormatName(format_)));
    return;
  }
  const auto format = ParseFormat(name);
  if (!format) {
    std::set<std::string, std::less<>> names;
    for (auto f = static_cast<int>(Format::kTable); f <= static_cast<int>(Format::kMarkdown); ++f)
      names.emplace(FormatName(static_cast<Format>(f)));
    PrintMessage("\\format", UnknownName("format", name, names) +
                                 " (table, csv, tsv, json, jsonl or markdown)");
    return;
  }
  format_ = *format;
  Say(fmt::format("format is {}\n", FormatName(format_)));
}

void Shell::Toggle(std::string_view on_off, bool* flag, std::string_view command) {
  if (on_off.empty()) {
    *flag = !*flag;
  } else if (on_off == "on" || on_off == "off") {
    *flag = on_off == "on";
  } else {
    PrintMessage(command, fmt::format("expected on or off, not `{}`", on_off));
    return;
  }
  Say(fmt::format("{} is {}\n", command.substr(1), *flag ? "on" : "off"));
}

void Shell::SetTiming(std::string_view on_off) { Toggle(on_off, &timing_, "\\timing"); }
void Shell::SetAscii(std::string_view on_off) { Toggle(on_off, &ascii_, "\\ascii"); }

void Shell::ShowCharges(std::string_view) {
  ConsoleOutput output = MakeOutput();
  RunText("\\charges", "show charges;", Batch::kEachStatement, output);
}

void Shell::ShowSources(std::string_view) {
  ConsoleOutput output = MakeOutput();
  RunText("\\sources", "show sources;", Batch::kEachStatement, output);
}

// With a charge: `show series CHARGE`. Without: that of every charge, as one table.
void Shell::ShowSeries(std::string_view charge) {
  ConsoleOutput output = MakeOutput();
  if (!charge.empty()) {
    RunText("\\series", fmt::format("show series {};", charge), Batch::kEachStatement, output);
    return;
  }
  catalog_.reset();
  std::string script;
  for (const auto& name : catalog().charges) script += fmt::format("show series {};\n", name);
  if (script.empty()) {
    Say("no charges are defined yet\n");
    return;
  }
  MergingOutput merging(output);
  RunText("\\series", std::move(script), Batch::kWhole, merging);
  const Table merged = merging.Merged();
  if (!merged.columns.empty()) output.Rows(merged);
  std::fflush(out_);
}

void Shell::ReadScript(std::string_view path) {
  const std::string file(path);
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    PrintMessage("\\read", fmt::format("cannot open script {}", file));
    return;
  }
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ConsoleOutput output = MakeOutput();
  RunText(file, std::move(text), Batch::kWhole, output);
}

void Shell::SetOutput(std::string_view path) {
  if (path.empty()) {
    if (out_ != stdout) std::fclose(out_);
    out_ = stdout;
    out_path_.clear();
    Say("results go to the terminal\n");
    return;
  }
  const std::string file(path);
  std::FILE* f = std::fopen(file.c_str(), "w");
  if (!f) {
    PrintMessage("\\output", fmt::format("cannot write {}: {}", file, std::strerror(errno)));
    return;
  }
  if (out_ != stdout) std::fclose(out_);
  out_ = f;
  out_path_ = file;
  Say(fmt::format("results go to {}\n", file));
}

void Shell::DescribeArchive(std::string_view) {
  const std::string& history = editor_.history_path();
  Say(fmt::format(
      "archive  {}: {}\n"
      "access   {}\n"
      "format   {}, ascii {}, timing {}\n"
      "output   {}\n"
      "history  {}\n",
      options_.db, ArchiveSummary(options_.db),
      options_.read_only ? "read-only (--read-only)"
                         : "read-write; the write lock is held only while a statement writes",
      FormatName(format_), ascii_ ? "on" : "off", timing_ ? "on" : "off",
      out_path_.empty() ? "the terminal" : out_path_, history.empty() ? "off" : history));
}

void Shell::Quit(std::string_view) { quit_ = true; }

}  // namespace

InputScan ScanInput(std::string_view text) {
  InputScan scan;
  bool semicolon = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (scan.in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        scan.in_string = false;
      }
    } else if (c == '-' && i + 1 < text.size() && text[i + 1] == '-') {
      i = std::min(text.find('\n', i), text.size());
    } else if (!IsSpace(c)) {
      scan.blank = false;
      scan.in_string = c == '"';
      semicolon = c == ';';
    }
  }
  scan.complete = semicolon && !scan.in_string;
  return scan;
}

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

Completion Complete(std::string_view line, const Catalog& catalog) {
  const size_t lead = line.find_first_not_of(" \t");
  if (lead != std::string_view::npos && line[lead] == '\\')
    return CompleteMeta(line, lead, catalog);
  const LineState state = StateOf(line);
  if (state.in_comment) return {line.size(), {}};
  if (state.string_start) return CompleteLabelValue(line, state, catalog);
  return CompleteWord(line, state, catalog);
}

int RunShell(const Options& options) {
  // For libedit, so that Cyrillic input works; character classes only:
  // numbers keep the C locale.
  std::setlocale(LC_CTYPE, "");
  Shell shell(options);
  return shell.Run();
}

}  // namespace docket::cli
