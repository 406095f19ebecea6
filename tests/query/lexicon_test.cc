// The lexicon (query/lexicon.h): reserved words, the function table and
// the scan of strings and comments.
#include "query/lexicon.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "query/query.h"

namespace docket {
namespace {

// Spec §2's list, copied from it.
const std::vector<std::string> kSpecKeywords = {
    "article", "as",      "assert",   "by",      "change",    "changes", "charge",   "charges",
    "check",   "conflicts", "count",  "crit",    "define",    "describe", "else",    "from",
    "growth",  "max",     "min",      "note",    "of",        "on",      "pct",      "plot",
    "priority", "record", "recorded", "retract", "revisions", "series",  "show",     "since",
    "source",  "sources", "sum",      "title",   "url",       "warn"};
// Spec §7 (v1.1), copied from it.
const std::vector<std::string> kV11Keywords = {"consensus", "diff",    "first",   "history",
                                               "lag",       "latest",  "resolve", "vintages"};

TEST(LexiconTest, KeywordsAreThoseOfSpecSectionsTwoAndSeven) {
  std::vector<std::string> expected = kSpecKeywords;
  expected.insert(expected.end(), kV11Keywords.begin(), kV11Keywords.end());
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(std::vector<std::string>(Keywords().begin(), Keywords().end()), expected);
}

TEST(LexiconTest, IsKeywordIsCaseSensitive) {
  for (const auto& kw : kSpecKeywords) EXPECT_TRUE(IsKeyword(kw)) << kw;
  for (const auto& kw : kV11Keywords) EXPECT_TRUE(IsKeyword(kw)) << kw;
  EXPECT_FALSE(IsKeyword("From"));
  EXPECT_FALSE(IsKeyword("fromage"));
  EXPECT_FALSE(IsKeyword("treason"));
  EXPECT_FALSE(IsKeyword("First"));
  EXPECT_FALSE(IsKeyword(""));
}

TEST(LexiconTest, CanNameChargeRefusesKeywordsAndBadShapes) {
  for (const auto& kw : kSpecKeywords) EXPECT_FALSE(CanNameCharge(kw)) << kw;
  for (const auto& kw : kV11Keywords) EXPECT_FALSE(CanNameCharge(kw)) << kw;
  for (const char* name : {"Treason", "1abc", "", "treason-x"}) EXPECT_FALSE(CanNameCharge(name)) << name;
  for (const char* name : {"treason", "fromage", "sources2", "firsts"})
    EXPECT_TRUE(CanNameCharge(name)) << name;
}

TEST(LexiconTest, CanNameSourceAllowsCapitalisedKeywordsOnly) {
  for (const auto& kw : kSpecKeywords) EXPECT_FALSE(CanNameSource(kw)) << kw;
  for (const auto& kw : kV11Keywords) EXPECT_FALSE(CanNameSource(kw)) << kw;
  for (const char* name : {"From", "FROM", "As", "Lag", "IStories"}) EXPECT_TRUE(CanNameSource(name)) << name;
  EXPECT_FALSE(CanNameSource("I-Stories"));
}

TEST(LexiconTest, NoStatementCanNameAChargeOrSourceAfterAKeyword) {
  for (auto kw : Keywords()) {
    for (const std::string& text :
         {"define charge " + std::string(kw), "define source " + std::string(kw)}) {
      ast::Script script;
      const Status s = ParsePiece("-e", text, ParseOptions{}, &script);
      ASSERT_FALSE(s.ok()) << text;
      EXPECT_EQ(s.place().offset, text.size() - kw.size()) << text;
    }
  }
}

TEST(LexiconTest, FunctionTableDrivesTheGrammar) {
  std::vector<std::string> names;
  for (const auto& f : Functions()) names.emplace_back(f.name);
  EXPECT_EQ(names, (std::vector<std::string>{"change", "conflicts", "count", "diff", "first", "growth",
                                             "history", "lag", "max", "min", "pct", "revisions",
                                             "sum", "vintages"}));
  for (const auto& f : Functions()) {
    EXPECT_EQ(&FunctionOf(f.func), &f) << f.name;
    EXPECT_EQ(FindFunction(f.name), &f) << f.name;
    const char* args = f.args == ArgShape::kSelector                  ? ""
                       : f.args == ArgShape::kSelectorPeriodsOrRange ? ", 2023, 2024"
                       : f.args == ArgShape::kSelectorVintages       ? ", 2016..2025"
                                                                     : ", as of 2024, as of 2025";
    const std::string call = std::string(f.name) + "(treason" + args + ")";
    ast::Script script;
    EXPECT_TRUE(ParsePiece("-e", call, ParseOptions{}, &script).ok()) << call;
  }
  EXPECT_EQ(FindFunction("resolve"), nullptr);  // a keyword, not a function
  EXPECT_EQ(FindFunction("Sum"), nullptr);
  EXPECT_EQ(FunctionOf(ast::Func::kSum).kind, FuncKind::kAggregate);
  EXPECT_EQ(FunctionOf(ast::Func::kPct).kind, FuncKind::kGrowthFamily);
  EXPECT_EQ(FunctionOf(ast::Func::kRevisions).kind, FuncKind::kWholeStatement);
  EXPECT_EQ(FunctionOf(ast::Func::kFirst).kind, FuncKind::kValue);
  EXPECT_EQ(FunctionOf(ast::Func::kLag).kind, FuncKind::kValue);
  EXPECT_EQ(FunctionOf(ast::Func::kHistory).kind, FuncKind::kWholeStatement);
  EXPECT_EQ(FunctionOf(ast::Func::kVintages).kind, FuncKind::kWholeStatement);
  EXPECT_EQ(FunctionOf(ast::Func::kDiff).kind, FuncKind::kWholeStatement);
}

struct StateCase {
  std::string text;
  bool blank, in_string, complete;
};

TEST(ScannerTest, StatementsEndWithASemicolonOutsideStringsAndComments) {
  const std::vector<StateCase> cases = {
      {"", true, false, false},
      {"  \n\t", true, false, false},
      {"-- only a comment", true, false, false},
      {"treason[2024]", false, false, false},
      {"treason[2024];", false, false, true},
      {"treason[2024];  \n", false, false, true},
      {"treason[2024]; -- done", false, false, true},
      {"treason -- a; comment", false, false, false},
      {"treason\n[2024]\n;", false, false, true},
      {"a; b", false, false, false},
      {"5--3;", false, false, false},
      {"record x note \"a;", false, true, false},
      {"record x note \"a\\\";", false, true, false},
      {"record x note \"a\\\";\"", false, false, false},
      {"record x note \"a\\\\\";", false, false, true},
      {"note \"-- not a comment\";", false, false, true},
      {"note \"line one\nline two\";", false, false, true},
  };
  for (const auto& c : cases) {
    const TextState state = StateAtEnd(c.text);
    EXPECT_EQ(state.blank, c.blank) << c.text;
    EXPECT_EQ(state.open_string.has_value(), c.in_string) << c.text;
    EXPECT_EQ(state.complete, c.complete) << c.text;
  }
}

TEST(ScannerTest, OpenStringCommentAndBraceArePlaced) {
  EXPECT_EQ(StateAtEnd(R"(x note "a" note "b)").open_string, 16u);
  EXPECT_TRUE(StateAtEnd("treason -- a \"comment").in_comment);
  EXPECT_FALSE(StateAtEnd("treason -- a comment\n").in_comment);
  EXPECT_FALSE(StateAtEnd("treason -- a comment\n").open_string.has_value());
  EXPECT_EQ(StateAtEnd("espionage{citizenship=\"UA\", ").open_brace, 9u);
  EXPECT_EQ(StateAtEnd("espionage{a=\"}\"").open_brace, 9u);  // a `}` in a string closes nothing
  EXPECT_FALSE(StateAtEnd("espionage{a=\"UA\"} + x").open_brace.has_value());
}

TEST(ScannerTest, TokenBeforeTheCursorIsAWordOrAString) {
  const std::string text = "sum(espio + x{a=\"U";
  auto word = TokenBefore(text, 9);  // after `espio`
  ASSERT_TRUE(word.has_value());
  EXPECT_EQ(word->kind, Token::Kind::kWord);
  EXPECT_EQ(text.substr(word->begin, word->end - word->begin), "espio");
  auto str = TokenBefore(text, text.size());
  ASSERT_TRUE(str.has_value());
  EXPECT_EQ(str->kind, Token::Kind::kString);
  EXPECT_TRUE(str->open);
  EXPECT_EQ(str->begin, 16u);
  EXPECT_FALSE(TokenBefore(text, 4).has_value());   // after `(`
  EXPECT_FALSE(TokenBefore(text, 10).has_value());  // after a space
  EXPECT_FALSE(TokenBefore("x -- note", 9).has_value());
}

}  // namespace
}  // namespace docket
