// The shell's pieces without a terminal: when typed input is complete,
// where history goes, what Tab offers, and when results go to the pager.
#include "cli/shell/completion.h"
#include "cli/shell/line_editor.h"
#include "cli/shell/pager.h"

#include <gtest/gtest.h>

#include <algorithm>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "query/lexicon.h"
#include "storage/types.h"
#include "tests/e2e/harness.h"
#include "tests/temp_dir.h"

namespace docket::cli {
namespace {

// ---------------------------------------------------------------- HistoryPath

// Sets or unsets environment variables for one test, restoring them after.
class ScopedEnv {
 public:
  void Set(const std::string& name, const std::optional<std::string>& value) {
    const char* old = std::getenv(name.c_str());
    saved_.push_back({name, old ? std::optional<std::string>(old) : std::nullopt});
    Apply(name, value);
  }
  ~ScopedEnv() {
    for (auto it = saved_.rbegin(); it != saved_.rend(); ++it) Apply(it->first, it->second);
  }

 private:
  static void Apply(const std::string& name, const std::optional<std::string>& value) {
    if (value) {
      ::setenv(name.c_str(), value->c_str(), 1);
    } else {
      ::unsetenv(name.c_str());
    }
  }
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

TEST(HistoryPathTest, DocketHistoryComesFirst) {
  ScopedEnv env;
  env.Set("DOCKET_HISTORY", "/h/docket.hist");
  env.Set("XDG_STATE_HOME", "/state");
  env.Set("HOME", "/home/u");
  EXPECT_EQ(HistoryPath(), "/h/docket.hist");
}

TEST(HistoryPathTest, ThenXdgStateHome) {
  ScopedEnv env;
  env.Set("DOCKET_HISTORY", std::nullopt);
  env.Set("XDG_STATE_HOME", "/state");
  env.Set("HOME", "/home/u");
  EXPECT_EQ(HistoryPath(), "/state/docket/history");
}

TEST(HistoryPathTest, ThenHomeAndARelativeXdgStateHomeIsIgnored) {
  ScopedEnv env;
  env.Set("DOCKET_HISTORY", "");
  env.Set("XDG_STATE_HOME", "state");
  env.Set("HOME", "/home/u");
  EXPECT_EQ(HistoryPath(), "/home/u/.local/state/docket/history");
}

TEST(HistoryPathTest, NoneWithoutAnyOfThem) {
  ScopedEnv env;
  env.Set("DOCKET_HISTORY", std::nullopt);
  env.Set("XDG_STATE_HOME", std::nullopt);
  env.Set("HOME", std::nullopt);
  EXPECT_EQ(HistoryPath(), "");
}

// ---------------------------------------------------------------- Complete

Catalog Demo() {
  Catalog c;
  c.charges = {"espionage", "state_secrets", "treason"};
  c.sources = {"IStories", "RTVI", "Rosbalt"};
  c.labels["espionage"]["citizenship"] = {"RU", "UA", "US"};
  c.labels["treason"]["region"] = {"Москва", "Томская область", "a\"b"};
  c.labels["state_secrets"];
  return c;
}

std::vector<std::string> Texts(const Completion& c) {
  std::vector<std::string> texts;
  for (const auto& candidate : c.candidates) texts.push_back(candidate.text);
  return texts;
}

using Candidates = std::vector<Candidate>;

TEST(CompleteTest, ChargeNameWithoutSuffix) {
  const Completion c = Complete("trea", Demo());
  EXPECT_EQ(c.start, 0u);
  EXPECT_EQ(c.candidates, (Candidates{{"treason", ""}}));
}

TEST(CompleteTest, FunctionGetsAParenthesisAndKeywordASpace) {
  EXPECT_EQ(Complete("gro", Demo()).candidates, (Candidates{{"growth", "("}}));
  EXPECT_EQ(Complete("x; plo", Demo()).candidates, (Candidates{{"plot", " "}}));
  EXPECT_EQ(Complete("x; plo", Demo()).start, 3u);
}

TEST(CompleteTest, FirstAndLagAreFunctionsAndResolveIsFollowedByItsRules) {
  EXPECT_EQ(Complete("fir", Demo()).candidates, (Candidates{{"first", "("}}));
  EXPECT_EQ(Complete("treason - la", Demo()).candidates, (Candidates{{"lag", "("}, {"latest", " "}}));
  EXPECT_EQ(Complete("treason res", Demo()).candidates, (Candidates{{"resolve", " "}}));
  EXPECT_EQ(Texts(Complete("treason resolve ", Demo())),
            (std::vector<std::string>{"consensus", "latest", "priority"}));
  EXPECT_EQ(Complete("treason resolve c", Demo()).candidates, (Candidates{{"consensus", ""}}));
}

TEST(CompleteTest, OffersTheRevisionFunctionsOfSectionSeven) {
  EXPECT_EQ(Complete("hist", Demo()).candidates, (Candidates{{"history", "("}}));
  EXPECT_EQ(Complete("vin", Demo()).candidates, (Candidates{{"vintages", "("}}));
  EXPECT_EQ(Complete("dif", Demo()).candidates, (Candidates{{"diff", "("}}));
  EXPECT_EQ(Complete("plot hi", Demo()).candidates, (Candidates{{"history", "("}}));
}

TEST(CompleteTest, AtAStatementsStartOnlyWhatMayStartOne) {
  // Statement keywords, functions and charges; no `else`, `from`, `warn`
  // or source there.
  for (const std::string line : {"", "treason[2024]; ", "x;"}) {
    const std::vector<std::string> texts = Texts(Complete(line, Demo()));
    for (const char* wanted : {"check", "define", "plot", "record", "growth", "treason"})
      EXPECT_NE(std::find(texts.begin(), texts.end(), wanted), texts.end()) << line << " " << wanted;
    for (const char* refused : {"else", "from", "warn", "crit", "of", "IStories"})
      EXPECT_EQ(std::find(texts.begin(), texts.end(), refused), texts.end()) << line << " " << refused;
  }
  EXPECT_EQ(Complete("el", Demo()).candidates, Candidates{});
  // Further on, `else` may stand.
  EXPECT_EQ(Complete("assert treason[2024] > 1 el", Demo()).candidates, (Candidates{{"else", " "}}));
}

TEST(CompleteTest, OnlySourcesAfterFromAndInItsList) {
  const Completion c = Complete("espionage[2024] from R", Demo());
  EXPECT_EQ(c.start, 21u);
  EXPECT_EQ(Texts(c), (std::vector<std::string>{"RTVI", "Rosbalt"}));
  EXPECT_EQ(Texts(Complete("espionage[2024] from RTVI, ", Demo())),
            (std::vector<std::string>{"IStories", "RTVI", "Rosbalt"}));
}

TEST(CompleteTest, CaseInsensitiveWhenNothingMatchesExactly) {
  EXPECT_EQ(Complete("x from RTVI, is", Demo()).candidates, (Candidates{{"IStories", ""}}));
  EXPECT_EQ(Complete("TRE", Demo()).candidates, (Candidates{{"treason", ""}}));
}

TEST(CompleteTest, LabelKeysOfTheChargeAfterABraceOrComma) {
  const Completion c = Complete("espionage{", Demo());
  EXPECT_EQ(c.start, 10u);
  EXPECT_EQ(c.candidates, (Candidates{{"citizenship", "="}}));
  EXPECT_EQ(Texts(Complete("treason{r", Demo())), (std::vector<std::string>{"region"}));
  EXPECT_EQ(Texts(Complete("unknown{", Demo())),
            (std::vector<std::string>{"citizenship", "region"}));
}

TEST(CompleteTest, LabelValuesInsideTheQuotes) {
  const std::string line = "espionage{citizenship=\"U";
  const Completion c = Complete(line, Demo());
  EXPECT_EQ(c.start, line.size() - 1);
  EXPECT_EQ(c.candidates, (Candidates{{"UA", "\""}, {"US", "\""}}));
  EXPECT_EQ(Complete("treason{region=\"Т", Demo()).candidates,
            (Candidates{{"Томская область", "\""}}));
  EXPECT_EQ(Complete("treason{region = \"a", Demo()).candidates, (Candidates{{"a\\\"b", "\""}}));
}

TEST(CompleteTest, ChargesAfterSeriesAndDescribe) {
  EXPECT_EQ(Texts(Complete("show series ", Demo())),
            (std::vector<std::string>{"espionage", "state_secrets", "treason"}));
  EXPECT_EQ(Texts(Complete("describe s", Demo())), (std::vector<std::string>{"state_secrets"}));
}

TEST(CompleteTest, NothingInACommentOrAnOrdinaryString) {
  EXPECT_TRUE(Complete("treason -- tre", Demo()).candidates.empty());
  EXPECT_TRUE(Complete("record x note \"tre", Demo()).candidates.empty());
}

TEST(CompleteTest, MetaCommandsAndTheirArguments) {
  EXPECT_EQ(Complete("\\fo", Demo()).candidates, (Candidates{{"\\format", " "}}));
  EXPECT_EQ(Complete("  \\d", Demo()).start, 2u);
  EXPECT_EQ(Complete("  \\d", Demo()).candidates, (Candidates{{"\\db", ""}}));
  EXPECT_EQ(Texts(Complete("\\format ", Demo())),
            (std::vector<std::string>{"csv", "json", "jsonl", "markdown", "table", "tsv"}));
  EXPECT_EQ(Texts(Complete("\\timing o", Demo())), (std::vector<std::string>{"off", "on"}));
  EXPECT_EQ(Texts(Complete("\\x ", Demo())), (std::vector<std::string>{"auto", "off", "on"}));
  EXPECT_EQ(Texts(Complete("\\pager ", Demo())), (std::vector<std::string>{"off", "on"}));
  EXPECT_EQ(Texts(Complete("\\series t", Demo())), (std::vector<std::string>{"treason"}));
  EXPECT_EQ(Texts(Complete("\\help pl", Demo())), (std::vector<std::string>{"plot"}));
  EXPECT_EQ(Texts(Complete("\\help \\o", Demo())), (std::vector<std::string>{"\\output"}));
  EXPECT_TRUE(Complete("\\db ", Demo()).candidates.empty());
}

TEST(CompleteTest, FileNamesForReadAndOutput) {
  TempDir dir;
  std::ofstream(dir.File("queries.dk")) << "treason;\n";
  std::ofstream(dir.File("quarterly.dk")) << "treason;\n";
  std::ofstream(dir.File(".hidden")) << "";
  const std::string line = "\\read " + dir.path() + "/qu";
  const Completion c = Complete(line, Demo());
  EXPECT_EQ(c.start, 6u);
  EXPECT_EQ(Texts(c), (std::vector<std::string>{dir.File("quarterly.dk"), dir.File("queries.dk")}));
  EXPECT_EQ(Texts(Complete("\\output " + dir.path() + "/", Demo())),
            (std::vector<std::string>{dir.File("quarterly.dk"), dir.File("queries.dk")}));
}

// The keywords of spec §2 and §7, copied from them.
const std::vector<std::string> kSpecKeywords = {
    "article", "as", "assert", "by", "change", "changes", "charge", "charges",
    "check", "conflicts", "consensus", "count", "crit", "define", "describe", "diff",
    "else", "first", "from", "growth", "history", "lag", "latest", "max",
    "min", "note", "of", "on", "pct", "plot", "priority", "record",
    "recorded", "resolve", "retract", "revisions", "series", "show", "since", "source",
    "sources", "sum", "title", "url", "vintages", "warn"};

TEST(CompleteTest, OffersEveryKeywordOfTheSpecAndNothingElseOnAnEmptyCatalog) {
  // Inside a statement every keyword may stand; at its start (issue 12)
  // only the statement keywords and the functions.
  const std::vector<std::string> offered = Texts(Complete("x ", Catalog{}));
  EXPECT_EQ(offered, kSpecKeywords);
  for (const auto& word : offered) EXPECT_TRUE(IsKeyword(word)) << word;
  EXPECT_EQ(Texts(Complete("", Catalog{})),
            (std::vector<std::string>{"assert", "change", "changes", "check", "conflicts", "count", "define",
                                      "describe", "diff", "first", "growth", "history", "lag", "max", "min",
                                      "pct", "plot", "record", "retract", "revisions", "show", "sum",
                                      "vintages"}));
}

// ---------------------------------------------------------------- Pager

TEST(PagerCommandTest, PagerOrLessWhenUnsetAndNoneWhenEmpty) {
  ScopedEnv env;
  env.Set("PAGER", std::nullopt);
  EXPECT_EQ(PagerCommand(), "less -SRXF");
  env.Set("PAGER", "");
  EXPECT_EQ(PagerCommand(), "");
  env.Set("PAGER", "more");
  EXPECT_EQ(PagerCommand(), "more");
}

// A pager on a terminal of 5 rows and 10 columns, the terminal being a
// string in memory and the pager `cat` into a file.
class PagerTest : public ::testing::Test {
 protected:
  PagerTest() : terminal_(open_memstream(&shown_, &shown_size_)) {}
  ~PagerTest() override {
    std::fclose(terminal_);
    std::free(shown_);
  }
  std::string Shown() {
    std::fflush(terminal_);
    return std::string(shown_, shown_size_);
  }
  std::string Paged() const { return e2e::ReadFile(paged_); }
  // Writes `text` as one result and ends it.
  std::optional<std::string> Result(Pager& pager, const std::string& text) {
    pager.Begin();
    std::fputs(text.c_str(), pager.file());
    return pager.End();
  }

  TempDir dir_;
  std::string paged_ = dir_.File("paged");
  std::string cat_ = "cat > " + paged_;
  char* shown_ = nullptr;
  size_t shown_size_ = 0;
  std::FILE* terminal_;
};

TEST_F(PagerTest, AResultThatFitsGoesToTheTerminal) {
  Pager pager(cat_, terminal_, 5, 10);
  EXPECT_EQ(Result(pager, "1\n2\n3\n4\n"), std::nullopt);  // 4 lines and the prompt: 5
  EXPECT_EQ(Shown(), "1\n2\n3\n4\n");
  EXPECT_FALSE(std::filesystem::exists(paged_));
}

TEST_F(PagerTest, AResultAsTallAsTheTerminalGoesToThePager) {
  Pager pager(cat_, terminal_, 5, 10);
  EXPECT_EQ(Result(pager, "1\n2\n3\n4\n5\n6\n"), std::nullopt);
  EXPECT_EQ(Paged(), "1\n2\n3\n4\n5\n6\n");
  EXPECT_EQ(Shown(), "");
}

TEST_F(PagerTest, LongLinesCountTheScreenLinesTheyTake) {
  Pager pager(cat_, terminal_, 5, 10);
  // 25 columns: 3 screen lines each, 6 in all.
  const std::string line(25, 'x');
  EXPECT_EQ(Result(pager, line + "\n" + line + "\n"), std::nullopt);
  EXPECT_EQ(Paged(), line + "\n" + line + "\n");
}

TEST_F(PagerTest, ColourEscapesTakeNoColumns) {
  Pager pager(cat_, terminal_, 5, 10);
  // 10 visible columns each, one screen line: 4 lines fit.
  const std::string line = "\x1b[1mabcdefghij\x1b[0m\n";
  EXPECT_EQ(Result(pager, line + line + line + line), std::nullopt);
  EXPECT_EQ(Shown(), line + line + line + line);
}

TEST_F(PagerTest, TextOutsideAResultGoesStraightToTheTerminal) {
  Pager pager(cat_, terminal_, 5, 10);
  std::fputs("said\n", pager.file());
  EXPECT_EQ(Shown(), "said\n");
}

TEST_F(PagerTest, APagerThatQuitsEarlyEndsTheResultQuietly) {
  Pager pager("true", terminal_, 5, 10);
  // 2 MB: far more than a pipe holds, so writes meet the closed pipe.
  std::string text;
  for (int i = 0; i < 20'000; ++i) text += std::string(99, 'x') + "\n";
  EXPECT_EQ(Result(pager, text), std::nullopt);
  EXPECT_EQ(Shown(), "");
}

TEST_F(PagerTest, APagerThatCannotRunIsNamed) {
  Pager pager("no-such-pager-here 2>/dev/null", terminal_, 5, 10);
  EXPECT_EQ(Result(pager, "1\n2\n3\n4\n5\n"),
            "cannot run the pager `no-such-pager-here 2>/dev/null` (PAGER); \\pager off shows "
            "results without one");
}

}  // namespace
}  // namespace docket::cli
