// The real shell in a pseudo-terminal (tmux, 120×40), used as a person
// would: type, make mistakes, complete, recall history, switch formats,
// plot, quit. Every expected screen line is worked out by hand from the
// spec (§2, §4, §5) and the shell's design (docs/shell.md).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "tests/e2e/harness.h"
#include "tests/shell/terminal.h"

namespace docket::shell_test {
namespace {

using e2e::Docket;
using e2e::Outcome;

// Two charges, two sources, four versions; espionage 2024 has a lower
// bound from RTVI beside IStories' exact figure.
constexpr const char* kSeed =
    "define charge treason title \"High treason\" article \"275\";"
    "define charge espionage;"
    "define source IStories priority 10;"
    "define source RTVI;"
    "record treason[2023] = 39 from IStories on 2024;"
    "record treason[2024] = 145 from IStories on 2025-04;"
    "record espionage[2024] = 23 from IStories on 2025-04;"
    "record espionage[2024] >= 28 from RTVI on 2024-12;";

// treason[2024] as a table: columns as wide as their widest text, numbers
// (lo, hi) right-aligned, counts as whole numbers (spec §3 v1.1).
constexpr const char* kTreason2024Table =
    "┌─────────┬────────┬───────┬─────┬─────┬────────┬──────────┬──────────┐\n"
    "│ series  │ period │ value │ lo  │ hi  │ approx │ source   │ reported │\n"
    "├─────────┼────────┼───────┼─────┼─────┼────────┼──────────┼──────────┤\n"
    "│ treason │ 2024   │ 145   │ 145 │ 145 │ false  │ IStories │ 2025-04  │\n"
    "└─────────┴────────┴───────┴─────┴─────┴────────┴──────────┴──────────┘\n"
    "(1 row)\n";

// The same with \ascii.
constexpr const char* kTreason2024AsciiTable =
    "+---------+--------+-------+-----+-----+--------+----------+----------+\n"
    "| series  | period | value | lo  | hi  | approx | source   | reported |\n"
    "+---------+--------+-------+-----+-----+--------+----------+----------+\n"
    "| treason | 2024   | 145   | 145 | 145 | false  | IStories | 2025-04  |\n"
    "+---------+--------+-------+-----+-----+--------+----------+----------+\n"
    "(1 row)\n";

constexpr const char* kTreason2023Table =
    "┌─────────┬────────┬───────┬────┬────┬────────┬──────────┬──────────┐\n"
    "│ series  │ period │ value │ lo │ hi │ approx │ source   │ reported │\n"
    "├─────────┼────────┼───────┼────┼────┼────────┼──────────┼──────────┤\n"
    "│ treason │ 2023   │ 39    │ 39 │ 39 │ false  │ IStories │ 2024     │\n"
    "└─────────┴────────┴───────┴────┴────┴────────┴──────────┴──────────┘\n"
    "(1 row)\n";

std::string Repeat(const std::string& glyph, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += glyph;
  return out;
}

class ShellTtyTest : public ::testing::Test {
 protected:
  void Seed(const std::string& script) {
    const Outcome o = docket_.Run({"-e", script});
    ASSERT_EQ(o.exit_code, 0) << o.err;
  }

  // The command line of the shell on the test's archive, with a fixed
  // clock, HOME and history in the test's directory, and `env` on top (a
  // value "" leaves the variable unset).
  std::string CommandLine(const std::map<std::string, std::string>& env,
                          const std::vector<std::string>& args) const {
    std::map<std::string, std::string> vars = {{"DOCKET_NOW", "2025-11-01T00:00:00Z"},
                                               {"HOME", docket_.dir().path()},
                                               {"DOCKET_HISTORY", history_},
                                               {"LANG", "C.UTF-8"}};
    for (const auto& [k, v] : env) vars[k] = v;
    std::vector<std::string> words = {"env", "-u", "NO_COLOR", "-u", "XDG_STATE_HOME", "-u", "LC_ALL",
                                      "-u", "LC_CTYPE", "-u", "PAGER", "-u", "LESS"};
    for (const auto& [k, v] : vars)
      if (!v.empty()) words.push_back(ShellQuote(k + "=" + v));
    words.insert(words.end(), {ShellQuote(e2e::DocketBinary()), "--db", ShellQuote(docket_.db())});
    for (const auto& a : args) words.push_back(ShellQuote(a));
    std::string command;
    for (const auto& w : words) command.append(command.empty() ? "" : " ").append(w);
    return command;
  }

  // A terminal of its own running `command`, `columns` wide.
  std::unique_ptr<Terminal> Open(const std::string& command, int columns = 120) {
    return std::make_unique<Terminal>(
        docket_.dir().File("tmux-" + std::to_string(++sessions_) + ".sock"), command, columns);
  }

  // The shell in a terminal, at its first prompt.
  std::unique_ptr<Terminal> Start(const std::map<std::string, std::string>& env = {},
                                  const std::vector<std::string>& args = {}, int columns = 120) {
    auto terminal = Open(CommandLine(env, args), columns);
    terminal->WaitForPrompt();
    return terminal;
  }

  // `docket --db DB --format csv -e script` from outside the shell.
  Outcome Query(const std::string& script) const { return docket_.Query(script); }

  Docket docket_;
  std::string history_ = docket_.dir().File("state/docket/history");
  int sessions_ = 0;
};

TEST_F(ShellTtyTest, BannerNamesTheArchiveItsSizeAndHelp) {
  Seed(kSeed);
  auto t = Start();
  const std::vector<std::string> lines = t->Lines();
  ASSERT_GE(lines.size(), 3u);
  EXPECT_TRUE(lines[0].starts_with("docket ")) << lines[0];
  EXPECT_TRUE(lines[0].ends_with(" on " + docket_.db() + ": 2 series, 4 reports (4 versions)")) << lines[0];
  EXPECT_NE(lines[1].find("\\help"), std::string::npos) << lines[1];
  EXPECT_EQ(lines[2], "docket>");
}

TEST_F(ShellTtyTest, QueryPrintsATable) {
  Seed(kSeed);
  auto t = Start();
  const Reply r = t->Enter("treason[2024];");
  EXPECT_EQ(r.output, kTreason2024Table);
  EXPECT_EQ(r.prompt, "docket>");
}

TEST_F(ShellTtyTest, StatementsSpanLinesWithAContinuationPrompt) {
  Seed(kSeed);
  auto t = Start();
  Reply r = t->Enter("treason");
  EXPECT_EQ(r.output, "");
  EXPECT_EQ(r.prompt, "   ...>");
  r = t->Enter("[2023]  -- a comment; not the end");
  EXPECT_EQ(r.prompt, "   ...>");
  r = t->Enter(";");
  EXPECT_EQ(r.output, kTreason2023Table);
  EXPECT_EQ(r.prompt, "docket>");
  // Two statements on one line run in order, one result after the other.
  r = t->Enter("\\format csv");
  r = t->Enter("treason[2023]; treason[2024];");
  EXPECT_EQ(r.output,
            "series,period,value,lo,hi,approx,source,reported\n"
            "treason,2023,39,39,39,false,IStories,2024\n"
            "\n"
            "series,period,value,lo,hi,approx,source,reported\n"
            "treason,2024,145,145,145,false,IStories,2025-04\n");
}

TEST_F(ShellTtyTest, CtrlCCancelsTheInputNotTheShell) {
  Seed(kSeed);
  auto t = Start();
  t->TypeAndWaitForEcho("treason[2024]");
  Reply r = t->Submit("C-c");
  EXPECT_EQ(r.output, "");
  EXPECT_EQ(r.prompt, "docket>");
  // A cancelled continuation is forgotten: `espionage` does not prefix the next statement.
  EXPECT_EQ(t->Enter("espionage").prompt, "   ...>");
  r = t->Submit("C-c");
  EXPECT_EQ(r.prompt, "docket>");
  r = t->Enter("treason[2023];");
  EXPECT_EQ(r.output, kTreason2023Table);
}

TEST_F(ShellTtyTest, ErrorsShowTheCaretAndTheShellCarriesOn) {
  Seed(kSeed);
  auto t = Start();
  Reply r = t->Enter("tresaon[2024];");
  EXPECT_EQ(r.output,
            "docket: <stdin>:1:1: unknown charge `tresaon`; did you mean `treason`?\n"
            "tresaon[2024];\n"
            "^\n");
  EXPECT_EQ(r.prompt, "docket>");
  r = t->Enter("treason[2024;");  // `;` where `]` belongs: column 13
  EXPECT_TRUE(r.output.starts_with("docket: <stdin>:1:13: expected ")) << r.output;
  EXPECT_TRUE(r.output.ends_with("\ntreason[2024;\n            ^\n")) << r.output;
  // The line and column count from the start of the multi-line input.
  t->Enter("treason[2024]");
  r = t->Enter("  frm IStories;");
  EXPECT_TRUE(r.output.starts_with("docket: <stdin>:2:3: ")) << r.output;
  EXPECT_TRUE(r.output.ends_with("\n  frm IStories;\n  ^\n")) << r.output;
  r = t->Enter("treason[2024];");
  EXPECT_EQ(r.output, kTreason2024Table);
}

TEST_F(ShellTtyTest, TabCompletesNamesFromTheCatalog) {
  Seed(kSeed);
  auto t = Start();
  t->Type("trea");
  t->Press("Tab");
  t->WaitUntil([](const auto& lines) { return lines.back() == "docket> treason"; },
               "treason completed");
  EXPECT_EQ(t->Enter("[2024];").output, kTreason2024Table);
  // Only sources after `from`; RTVI is the one starting with R.
  t->Type("espionage[2024] from R");
  t->Press("Tab");
  t->WaitUntil(
      [](const auto& lines) { return lines.back() == "docket> espionage[2024] from RTVI"; },
      "RTVI completed");
  const Reply r = t->Enter(";");
  EXPECT_NE(
      r.output.find("│ espionage │ 2024   │ >=28  │ 28 │    │ false  │ RTVI   │ 2024-12  │"),
      std::string::npos)
      << r.output;
  // Several candidates and nothing in common to add: Tab lists them.
  t->Type("espionage[2024] from ");
  t->Press("Tab");
  t->WaitFor("IStories  RTVI");
}

TEST_F(ShellTtyTest, HistoryIsSavedAndReloadedInTheNextSession) {
  Seed(kSeed);
  {
    auto t = Start();
    t->Enter("treason[2023];");
    t->Enter("tresaon[2024];");  // an error is still history
    t->Press("C-d");
    t->WaitFor("[exited 0]");
  }
  const std::string saved = e2e::ReadFile(history_);
  EXPECT_NE(saved.find("treason[2023];"), std::string::npos) << saved;
  EXPECT_NE(saved.find("tresaon[2024];"), std::string::npos) << saved;

  auto t = Start();
  t->Press("Up");
  t->WaitUntil([](const auto& lines) { return lines.back() == "docket> tresaon[2024];"; },
               "the last entry recalled");
  t->Press("Up");
  t->WaitUntil([](const auto& lines) { return lines.back() == "docket> treason[2023];"; },
               "the entry before it");
  EXPECT_EQ(t->Submit("Enter").output, kTreason2023Table);
  // Ctrl-R searches backwards as one types.
  t->Press("C-r");
  t->Type("sao");
  t->WaitFor("docket> tresaon[2024];");
  EXPECT_TRUE(
      t->Submit("Enter").output.starts_with("docket: <stdin>:1:1: unknown charge `tresaon`"));
}

TEST_F(ShellTtyTest, HistoryGoesUnderXdgStateHomeWithoutDocketHistory) {
  Seed(kSeed);
  const std::string state = docket_.dir().File("xdg");
  auto t = Start({{"DOCKET_HISTORY", ""}, {"XDG_STATE_HOME", state}});
  t->Enter("\\db");
  EXPECT_TRUE(std::filesystem::exists(state + "/docket/history"));
}

TEST_F(ShellTtyTest, FormatCsvSwitchesTheOutput) {
  Seed(kSeed);
  auto t = Start();
  EXPECT_EQ(t->Enter("\\format csv").output, "format is csv\n");
  EXPECT_EQ(t->Enter("treason[2024];").output,
            "series,period,value,lo,hi,approx,source,reported\n"
            "treason,2024,145,145,145,false,IStories,2025-04\n");
  EXPECT_EQ(t->Enter("\\format yaml").output,
            "docket: \\format: unknown format `yaml` (table, csv, tsv, json, jsonl or markdown)\n");
}

TEST_F(ShellTtyTest, PlotDrawsALowerBoundOpenEnded) {
  Seed(kSeed);
  auto t = Start();
  // by source: labels "2024 IStories" and "2024 RTVI    " (13 columns);
  // 120 - (13 + 2) - (1 + 4) - 1 (arrow) = 99 columns for 28;
  // 23 * 99 / 28 = 81.3 -> 81.
  const Reply r = t->Enter("plot espionage[2024] by source;");
  EXPECT_EQ(r.output, "2024 IStories  " + Repeat("█", 81) + " 23\n" + "2024 RTVI      " +
                          Repeat("█", 99) + "▶ >=28\n");
}

TEST_F(ShellTtyTest, PlotAlignsCyrillicLabelsAndCyrillicCanBeTyped) {
  Seed(
      "define charge treason; define source Sud;"
      "record treason{region=\"Москва\"}[2024] = 5 from Sud on 2025;"
      "record treason{region=\"Томская область\"}[2024] = 10 from Sud on 2025;");
  auto t = Start();
  // Labels: series (display widths 24 and 33) and period: 38 columns;
  // 120 - 40 - 3 - 5 = 72 columns for 10.
  const std::string moscow = "treason{region=\"Москва\"}";
  const std::string tomsk = "treason{region=\"Томская область\"}";
  Reply r = t->Enter("plot treason{region=*}[2024];");
  EXPECT_EQ(r.output, moscow + std::string(9, ' ') + " 2024  " + Repeat("█", 36) + " 5  Sud\n" +
                          tomsk + " 2024  " + Repeat("█", 72) + " 10  Sud\n");
  r = t->Enter(moscow + "[2024];");
  EXPECT_NE(r.output.find("│ " + moscow +
                          " │ 2024   │ 5     │  5 │  5 │ false  │ Sud    │ 2025     │"),
            std::string::npos)
      << r.output;
}

TEST_F(ShellTtyTest, AsciiDrawsWithoutBoxOrBlockCharacters) {
  Seed(kSeed);
  auto t = Start();
  EXPECT_EQ(t->Enter("\\ascii").output, "ascii is on\n");
  EXPECT_EQ(t->Enter("treason[2024];").output, kTreason2024AsciiTable);
  // 120 - 6 - (1 + 3) - (2 + 8) = 100 columns for 145; 39 -> 26.9 -> 27.
  EXPECT_EQ(t->Enter("plot treason;").output, "2023  " + Repeat("#", 27) + " 39  IStories\n" +
                                                  "2024  " + Repeat("#", 100) + " 145  IStories\n");
}

TEST_F(ShellTtyTest, ColourOnlyWithoutNoColor) {
  Seed(kSeed);
  const auto header_has_escape = [](Terminal& t) {
    for (const auto& line : t.Lines(/*escapes=*/true))
      if (line.find("period") != std::string::npos) return line.find("\x1b[") != std::string::npos;
    return false;
  };
  {
    auto t = Start();
    t->Enter("treason[2024];");
    EXPECT_TRUE(header_has_escape(*t));
  }
  auto t = Start({{"NO_COLOR", "1"}});
  t->Enter("treason[2024];");
  EXPECT_FALSE(header_has_escape(*t));
}

TEST_F(ShellTtyTest, TimingPrintsTheElapsedTime) {
  Seed(kSeed);
  auto t = Start();
  EXPECT_EQ(t->Enter("\\timing on").output, "timing is on\n");
  const std::string out = t->Enter("treason[2024];").output;
  EXPECT_TRUE(std::regex_search(out, std::regex("\\(1 row\\)\nTime: [0-9]+\\.[0-9]{3} ms\n$")))
      << out;
}

TEST_F(ShellTtyTest, OutputSendsResultsToAFileAndBack) {
  Seed(kSeed);
  auto t = Start();
  const std::string file = docket_.dir().File("out.csv");
  EXPECT_EQ(t->Enter("\\output " + file).output, "results go to " + file + "\n");
  t->Enter("\\format csv");
  EXPECT_EQ(t->Enter("treason[2024];").output, "");
  EXPECT_EQ(t->Enter("\\output").output, "results go to the terminal\n");
  EXPECT_EQ(e2e::ReadFile(file),
            "series,period,value,lo,hi,approx,source,reported\n"
            "treason,2024,145,145,145,false,IStories,2025-04\n");
}

TEST_F(ShellTtyTest, ReadRunsAScriptAsOneBatch) {
  Seed(kSeed);
  auto t = Start();
  const std::string good = docket_.WriteFile(
      "good.dk", "record treason[2022] = 16 from IStories on 2024;\ntreason[2022];\n");
  t->Enter("\\format csv");
  EXPECT_EQ(t->Enter("\\read " + good).output,
            "series,period,value,lo,hi,approx,source,reported\n"
            "treason,2022,16,16,16,false,IStories,2024\n");
  // An unknown name anywhere: nothing runs, nothing is written.
  const std::string bad = docket_.WriteFile(
      "bad.dk",
      "record treason[2021] = 7 from IStories on 2024;\nrecord tresaon[2021] = 7 from IStories on 2024;\n");
  const Reply r = t->Enter("\\read " + bad);
  EXPECT_TRUE(r.output.starts_with("docket: " + bad + ":2:8: unknown charge `tresaon`"))
      << r.output;
  EXPECT_EQ(Query("treason[2021]").out, "series,period,value,lo,hi,approx,source,reported\n");
}

TEST_F(ShellTtyTest, WritesHoldTheLockOnlyWhileTheyRunAndReadsSeeFreshData) {
  Seed(kSeed);
  auto t = Start();
  t->Enter("\\format csv");
  // Idle shell: another writer gets the lock at once.
  Outcome o = docket_.Run({"--wait", "0", "-e", "record treason[2022] = 16 from IStories on 2024"});
  EXPECT_EQ(o.exit_code, 0) << o.err;
  // The next statement reads a fresh snapshot.
  EXPECT_EQ(t->Enter("treason[2022];").output,
            "series,period,value,lo,hi,approx,source,reported\n"
            "treason,2022,16,16,16,false,IStories,2024\n");
  // A write in the shell is committed at once and the lock released.
  EXPECT_EQ(t->Enter("record treason[2021] = 10 from IStories on 2024;").output, "");
  o = docket_.Run({"--wait", "0", "--format", "csv", "-e",
                   "record treason[2020] = 9 from IStories on 2024; treason[2021]"});
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(o.out,
            "series,period,value,lo,hi,approx,source,reported\n"
            "treason,2021,10,10,10,false,IStories,2024\n");
}

TEST_F(ShellTtyTest, AMissingArchiveIsCreatedByTheFirstWrite) {
  auto t = Start();
  EXPECT_NE(t->Lines()[0].find(": not created yet: the first define or record creates it"),
            std::string::npos);
  EXPECT_EQ(t->Enter("treason;").output,
            "docket: <stdin>: archive not found: " + docket_.db() + "\n");
  EXPECT_EQ(t->Enter("define charge treason title \"High treason\";").output, "");
  t->Enter("\\format csv");
  EXPECT_EQ(t->Enter("\\charges").output, "charge,title,article\ntreason,High treason,\n");
}

TEST_F(ShellTtyTest, UnknownMetaCommandSuggestsTheClosest) {
  Seed(kSeed);
  auto t = Start();
  EXPECT_EQ(
      t->Enter("\\fromat csv").output,
      "docket: <stdin>: unknown meta-command `\\fromat`; did you mean `\\format`? (\\help lists them)\n");
  EXPECT_EQ(t->Enter("\\db now").output, "docket: \\db: takes no argument: \\db\n");
}

TEST_F(ShellTtyTest, HelpListsEveryMetaCommandAndExplainsStatements) {
  Seed(kSeed);
  auto t = Start();
  const std::string help = t->Enter("\\help").output;
  for (const char* command : {"\\help", "\\format", "\\timing", "\\ascii", "\\x", "\\pager",
                              "\\charges", "\\sources", "\\series", "\\read", "\\output", "\\db",
                              "\\quit"})
    EXPECT_NE(help.find(std::string("\n  ") + command), std::string::npos) << command;
  for (const char* statement :
       {"define", "record", "retract", "assert", "check", "show", "describe", "plot", "changes"})
    EXPECT_NE(help.find(std::string("\n  ") + statement + " "), std::string::npos) << statement;
  EXPECT_TRUE(t->Enter("\\help plot").output.starts_with("plot EXPR [MODIFIERS];"));
}

TEST_F(ShellTtyTest, ReadOnlyRefusesWritesAndSaysSoInTheBanner) {
  Seed(kSeed);
  auto t = Start({}, {"--read-only"});
  EXPECT_TRUE(t->Lines()[0].ends_with(": 2 series, 4 reports (4 versions) (read-only)")) << t->Lines()[0];
  // Nothing of the input runs: the caret is under the writing statement.
  const std::string input = "treason[2023]; record treason[2020] = 1 from IStories on 2021;";
  EXPECT_EQ(t->Enter(input).output,
            "docket: <stdin>:1:16: --read-only: define, record and retract are refused\n" + input +
                "\n" + std::string(15, ' ') + "^\n");
  EXPECT_EQ(t->Enter("treason[2023];").output, kTreason2023Table);
}

TEST_F(ShellTtyTest, SuspendAndResumeRedrawTheLineBeingTyped) {
  Seed(kSeed);
  auto t = Open("env PS1='$ ' bash --norc --noprofile -i");
  t->WaitUntil([](const auto& lines) { return !lines.empty() && lines.back() == "$"; }, "bash's prompt");
  t->Type(CommandLine({}, {}));
  t->Press("Enter");
  t->WaitForPrompt();
  // C-z discards what docket has not read yet: wait for the echo first.
  t->TypeAndWaitForEcho("trea");
  t->Press("C-z");
  t->WaitUntil(
      [](const auto& lines) {
        return std::any_of(lines.begin(), lines.end(), [](const auto& l) { return l.find("Stopped") != std::string::npos; }) &&
               lines.back() == "$";
      },
      "the job stopped and bash's prompt");
  t->Type("fg");
  t->Press("Enter");
  t->WaitUntil([](const auto& lines) { return lines.back() == "docket> trea"; },
               "the line redrawn after fg");
  EXPECT_EQ(t->Enter("son[2024];").output, kTreason2024Table);
}

// treason[2024] expanded: names 8 wide (reported), values 8 (IStories); the
// rule is 8 + 3 + 8 = 19 wide, its 13-column label passing the name column.
constexpr const char* kTreason2024Expanded =
    "─[ RECORD 1 ]──────\n"
    "series   │ treason\n"
    "period   │ 2024\n"
    "value    │ 145\n"
    "lo       │ 145\n"
    "hi       │ 145\n"
    "approx   │ false\n"
    "source   │ IStories\n"
    "reported │ 2025-04\n"
    "(1 row)\n";

// Characters of `line`: its display width when it has no wide ones.
size_t CodePoints(const std::string& line) {
  return static_cast<size_t>(std::count_if(line.begin(), line.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  for (size_t start = 0, end; (end = text.find('\n', start)) != std::string::npos; start = end + 1)
    lines.push_back(text.substr(start, end - start));
  return lines;
}

// The cells of a table line `│ a │ b │`, trimmed.
std::vector<std::string> Cells(const std::string& line) {
  const std::string bar = "│";
  std::vector<std::string> cells;
  size_t start = line.find(bar);
  while (start != std::string::npos) {
    const size_t end = line.find(bar, start + bar.size());
    if (end == std::string::npos) break;
    std::string cell = line.substr(start + bar.size(), end - start - bar.size());
    cell.erase(0, cell.find_first_not_of(' '));
    cell.erase(cell.find_last_not_of(' ') + 1);
    cells.push_back(cell);
    start = end;
  }
  return cells;
}

std::string WithoutSpaces(std::string text) {
  text.erase(std::remove(text.begin(), text.end(), ' '), text.end());
  return text;
}

TEST_F(ShellTtyTest, ExpandedDisplayTogglesAndAutoFollowsTheTerminalWidth) {
  Seed(kSeed);
  auto t = Start({}, {}, /*columns=*/80);
  EXPECT_EQ(t->Enter("\\x").output, "expanded display is on\n");
  EXPECT_EQ(t->Enter("treason[2024];").output, kTreason2024Expanded);
  EXPECT_EQ(t->Enter("\\x").output, "expanded display is off\n");
  EXPECT_EQ(t->Enter("treason[2024];").output, kTreason2024Table);
  // auto: the 72-column table fits in 80; revisions' 12 columns do not.
  EXPECT_EQ(t->Enter("\\x auto").output, "expanded display is auto\n");
  EXPECT_EQ(t->Enter("treason[2024];").output, kTreason2024Table);
  const std::vector<std::string> lines = SplitLines(t->Enter("revisions(treason[2024]);").output);
  ASSERT_EQ(lines.size(), 14u);  // the rule, 12 fields, the footer
  EXPECT_TRUE(lines[0].starts_with("─[ RECORD 1 ]──")) << lines[0];
  EXPECT_EQ(lines[1], "series   │ treason");
  EXPECT_EQ(lines[3], "source   │ IStories");
  EXPECT_EQ(lines[10], "status   │ current");
  EXPECT_EQ(lines[13], "(1 row)");
  EXPECT_EQ(t->Enter("\\x sideways").output,
            "docket: \\x: expected on, off or auto, not `sideways`\n");
  // Meta-commands suggest meta-commands: \x is among them.
  EXPECT_EQ(t->Enter("\\pagr").output,
            "docket: <stdin>: unknown meta-command `\\pagr`; did you mean `\\pager`? (\\help lists them)\n");
}

TEST_F(ShellTtyTest, ARevisionsRowStaysReadableAtEightyColumns) {
  const std::string note = "at least 28 people had been convicted of espionage that year";
  const std::string url = "https://qazreiting.kz/A_Aimaq/2025-04-17/7935.html";
  Seed(std::string(kSeed) + "record treason[2022] = 16 from IStories on 2024 note \"" + note +
       "\" url \"" + url + "\";");
  auto t = Start({}, {}, /*columns=*/80);
  const std::vector<std::string> lines = SplitLines(t->Enter("revisions(treason[2022]);").output);
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.back(), "(1 row)");
  // Every line fits the terminal, so none is broken across screen lines,
  // and the note and the URL read down their own columns (11 and 12).
  std::string note_column, url_column;
  bool below_header = false;
  for (size_t i = 0; i + 1 < lines.size(); ++i) {
    EXPECT_LE(CodePoints(lines[i]), 80u) << lines[i];
    if (lines[i].starts_with("├")) below_header = true;
    if (!below_header || !lines[i].starts_with("│")) continue;
    const std::vector<std::string> cells = Cells(lines[i]);
    ASSERT_EQ(cells.size(), 12u) << lines[i];
    note_column += cells[10];
    url_column += cells[11];
  }
  EXPECT_EQ(WithoutSpaces(note_column), WithoutSpaces(note));
  EXPECT_EQ(url_column, url);
}

// 45 rows: a table of 50 lines, taller than the 40-line terminal.
std::string TallSeed() {
  std::string script = "define charge treason; define source IStories;";
  for (int year = 1980; year <= 2024; ++year)
    script += "record treason[" + std::to_string(year) + "] = 1 from IStories on 2025;";
  return script;
}

TEST_F(ShellTtyTest, TheDefaultPagerShowsATallResultAndQuitsOnQ) {
  Seed(TallSeed());
  auto t = Start();
  t->Type("treason;");
  t->Press("Enter");
  // less -SRXF stops at a full screen with its `:` prompt.
  t->WaitUntil([](const auto& lines) { return !lines.empty() && lines.back() == ":"; },
               "less's prompt");
  const std::vector<std::string> shown = t->Lines();
  EXPECT_NE(std::find(shown.begin(), shown.end(),
                      "│ treason │ 1980   │ 1     │  1 │  1 │ false  │ IStories │ 2025     │"),
            shown.end());
  t->Press("q");
  t->WaitUntil([](const auto& lines) { return !lines.empty() && lines.back() == "docket>"; },
               "the prompt after less quit");
  EXPECT_EQ(t->Enter("treason[2024];").output.substr(0, 3), "┌");  // the shell carries on
}

TEST_F(ShellTtyTest, PagerGetsOnlyTallResultsAndPagerOffPrintsThem) {
  Seed(TallSeed());
  auto t = Start({{"PAGER", "wc -l"}});
  // The pager gets the whole table: 45 rows, 4 rules and the header, the footer.
  EXPECT_EQ(t->Enter("treason;").output, "50\n");
  // A result that fits is printed as it is.
  EXPECT_EQ(t->Enter("treason[2024];").output,
            "┌─────────┬────────┬───────┬────┬────┬────────┬──────────┬──────────┐\n"
            "│ series  │ period │ value │ lo │ hi │ approx │ source   │ reported │\n"
            "├─────────┼────────┼───────┼────┼────┼────────┼──────────┼──────────┤\n"
            "│ treason │ 2024   │ 1     │  1 │  1 │ false  │ IStories │ 2025     │\n"
            "└─────────┴────────┴───────┴────┴────┴────────┴──────────┴──────────┘\n"
            "(1 row)\n");
  EXPECT_EQ(t->Enter("\\pager off").output, "pager is off\n");
  const std::vector<std::string> lines = SplitLines(t->Enter("treason;").output);
  ASSERT_EQ(lines.size(), 50u);
  EXPECT_EQ(lines[3], "│ treason │ 1980   │ 1     │  1 │  1 │ false  │ IStories │ 2025     │");
  EXPECT_EQ(lines[49], "(45 rows)");
  EXPECT_EQ(t->Enter("\\pager on").output, "pager is on: wc -l\n");
  EXPECT_EQ(t->Enter("treason;").output, "50\n");
  // Never for results sent to a file.
  const std::string file = docket_.dir().File("out.txt");
  t->Enter("\\output " + file);
  EXPECT_EQ(t->Enter("treason;").output, "");
  EXPECT_EQ(SplitLines(e2e::ReadFile(file)).size(), 50u);
}

TEST_F(ShellTtyTest, APagerThatCannotRunIsNamed) {
  Seed(TallSeed());
  auto t = Start({{"PAGER", "no-such-pager-here"}});
  const std::string out = t->Enter("treason;").output;
  EXPECT_NE(out.find("docket: \\pager: cannot run the pager `no-such-pager-here` (PAGER); "
                     "\\pager off shows results without one\n"),
            std::string::npos)
      << out;
}

TEST_F(ShellTtyTest, TablesHaveAsciiBordersWhenTheLocaleIsNotUtf8) {
  Seed(kSeed);
  auto t = Start({{"LANG", "C"}});
  EXPECT_EQ(t->Enter("treason[2024];").output, kTreason2024AsciiTable);
  EXPECT_EQ(t->Enter("\\ascii off").output, "ascii is off\n");
  EXPECT_EQ(t->Enter("treason[2024];").output, kTreason2024Table);
}

TEST_F(ShellTtyTest, QuitAndCtrlDLeaveWithExitCodeZero) {
  Seed(kSeed);
  {
    auto t = Start();
    t->Type("\\quit");
    t->Press("Enter");
    t->WaitFor("[exited 0]");
  }
  auto t = Start();
  t->Enter("tresaon;");  // an error does not change the exit code
  t->Press("C-d");
  t->WaitFor("[exited 0]");
}

}  // namespace
}  // namespace docket::shell_test
