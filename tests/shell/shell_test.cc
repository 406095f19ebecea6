// The shell's pieces without a terminal: when typed input is complete,
// where history goes, and what Tab offers.
#include "cli/shell/completion.h"
#include "cli/shell/line_editor.h"

#include <gtest/gtest.h>

#include <algorithm>

#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "query/lexicon.h"
#include "storage/types.h"
#include "tests/e2e/harness.h"

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

}  // namespace
}  // namespace docket::cli
