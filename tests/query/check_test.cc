// Static checks before anything runs (query.h: CheckNames, UnknownName; spec
// §2.2–2.4): unknown names with "did you mean", arithmetic sides that hold
// several series, and `by source` where it is not allowed.

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "query/ast.h"
#include "query/query.h"

namespace docket {
namespace {

constexpr int32_t kToday = 20148;  // 2025-03-01

using Names = std::set<std::string, std::less<>>;

TEST(UnknownNameTest, SuggestsTheClosestNameWithinTwoEdits) {
  const Names charges = {"espionage", "state_secrets", "treason"};
  // Spec §2.4's own example: a transposition is one edit.
  EXPECT_EQ(UnknownName("charge", "tresaon", charges), "unknown charge `tresaon`; did you mean `treason`?");
  EXPECT_EQ(UnknownName("charge", "tresn", charges), "unknown charge `tresn`; did you mean `treason`?");  // 2 deletions
  EXPECT_EQ(UnknownName("charge", "espionnage", charges), "unknown charge `espionnage`; did you mean `espionage`?");
  EXPECT_EQ(UnknownName("charge", "tsn", charges), "unknown charge `tsn`");  // 4 edits from treason
  EXPECT_EQ(UnknownName("charge", "treasonxyz", charges), "unknown charge `treasonxyz`");  // 3 insertions
  EXPECT_EQ(UnknownName("charge", "x", Names{}), "unknown charge `x`");
}

TEST(UnknownNameTest, TiesGoToTheNameFirstInByteOrder) {
  EXPECT_EQ(UnknownName("charge", "abe", Names{"abd", "abc"}), "unknown charge `abe`; did you mean `abc`?");
  // `RTVY` is one edit from `RTVI` and from `RTVX`; `RTVI` comes first.
  EXPECT_EQ(UnknownName("source", "RTVY", Names{"RTVX", "RTVI"}), "unknown source `RTVY`; did you mean `RTVI`?");
  // `IStore` and `IStories` are both one edit from `IStorie`: `IStore` comes first.
  EXPECT_EQ(UnknownName("source", "IStorie", Names{"IStories", "IStore"}),
            "unknown source `IStorie`; did you mean `IStore`?");
  // A closer name wins over an earlier one: `IStoriex` is one edit from
  // `IStories`, two from `IStore`.
  EXPECT_EQ(UnknownName("source", "IStoriex", Names{"IStore", "IStories"}),
            "unknown source `IStoriex`; did you mean `IStories`?");
}

TEST(UnknownNameTest, CaseDifferencesAreEdits) {
  EXPECT_EQ(UnknownName("source", "istories", Names{"IStories"}), "unknown source `istories`; did you mean `IStories`?");
  EXPECT_EQ(UnknownName("source", "ISTORIES", Names{"IStories"}), "unknown source `ISTORIES`");  // 6 edits
}

struct Checked {
  Status parse, check;
  ast::Script script;
};

Checked ParseAndCheck(const std::string& text) {
  Checked c;
  c.parse = ParsePiece("-e", text, ParseOptions{kToday}, &c.script);
  if (c.parse.ok()) c.check = CheckNames(c.script, nullptr);
  return c;
}

void ExpectCheckError(const std::string& text, const std::string& message, size_t offset) {
  SCOPED_TRACE(text);
  auto c = ParseAndCheck(text);
  ASSERT_TRUE(c.parse.ok()) << c.parse.message();
  ASSERT_FALSE(c.check.ok()) << "the check passed";
  EXPECT_EQ(c.check.kind(), ErrorKind::kInput);
  EXPECT_NE(c.check.message().find(message), std::string::npos)
      << "message: " << c.check.message() << "\nexpected to contain: " << message;
  ASSERT_TRUE(c.check.place().set);
  EXPECT_EQ(c.check.place().offset, offset);
}

void ExpectCheckOk(const std::string& text) {
  SCOPED_TRACE(text);
  auto c = ParseAndCheck(text);
  ASSERT_TRUE(c.parse.ok()) << c.parse.message();
  EXPECT_TRUE(c.check.ok()) << c.check.message();
}

const std::string kDefs =
    "define charge treason; define charge espionage; define source IStories; define source RTVI; ";
// kDefs is 23 + 25 + 24 + 20 = 92 bytes: offsets below count from there.
constexpr size_t kAfterDefs = 92;

TEST(CheckTest, UnknownNamesSuggestTheClosestOfTheirKind) {
  ASSERT_EQ(kDefs.size(), kAfterDefs);
  ExpectCheckError(kDefs + "tresaon[2024]", "unknown charge `tresaon`; did you mean `treason`?", kAfterDefs);
  ExpectCheckError(kDefs + "treason from RTVI, IStorie", "unknown source `IStorie`; did you mean `IStories`?",
                   kAfterDefs + 19);
  ExpectCheckError(kDefs + "record treason[2024] = 1 from RTV on 2024", "unknown source `RTV`; did you mean `RTVI`?", kAfterDefs + 30);
  ExpectCheckError(kDefs + "growth(espionag, 2023, 2024)", "did you mean `espionage`?", kAfterDefs + 7);
  ExpectCheckError(kDefs + "describe treasn", "did you mean `treason`?", kAfterDefs + 9);
  // Charges and sources are separate namespaces.
  ExpectCheckError(kDefs + "treason from treason", "unknown source `treason`", kAfterDefs + 13);
}

TEST(CheckTest, NamesMustBeDefinedByAnEarlierStatement) {
  ExpectCheckOk("define charge piracy; piracy[2024]");
  ExpectCheckError("piracy[2024]; define charge piracy", "unknown charge `piracy`", 0);
}

TEST(CheckTest, ArithmeticSideHoldingSeveralSeriesIsAnErrorNamingTheSide) {
  ExpectCheckError(kDefs + "espionage{citizenship=*}[2024] / treason[2024]", "left", kAfterDefs);
  ExpectCheckError(kDefs + "treason[2024] / espionage{citizenship=*}[2024]", "right", kAfterDefs + 16);
  ExpectCheckError(kDefs + "growth(espionage{citizenship=*}, 2023, 2024) * 100", "left", kAfterDefs);
  // One series per side is fine; so is an aggregate over several, or a
  // several-series selector outside arithmetic.
  ExpectCheckOk(kDefs + "sum(espionage{citizenship=*}[2024]) / treason[2024]");
  ExpectCheckOk(kDefs + "espionage{citizenship=\"UA\"}[2024] / treason[2024]");
  ExpectCheckOk(kDefs + "espionage{citizenship=*}[2024]");
  // Even against a plain number: each side of arithmetic holds at most one series.
  ExpectCheckError(kDefs + "espionage{citizenship=*}[2024] * 2", "left", kAfterDefs);
}

TEST(CheckTest, BySourceIsRefusedWithRevisionsConflictsAndChanges) {
  ExpectCheckError(kDefs + "revisions(espionage[2024]) by source", "by source", kAfterDefs + 27);
  ExpectCheckError(kDefs + "conflicts(espionage{citizenship=*}) by source", "by source", kAfterDefs + 36);
  ExpectCheckError(kDefs + "changes since 2025-01-01 by source", "by source", kAfterDefs + 25);
  ExpectCheckOk(kDefs + "growth(treason, 2023, 2024) by source");
  ExpectCheckOk(kDefs + "treason[2024] by source");
  ExpectCheckOk(kDefs + "sum(espionage{citizenship=*}[2024]) by source");
}

}  // namespace
}  // namespace docket

namespace docket {
namespace {

// Spec §7.3-7.5: the modifiers history, vintages and diff refuse, at the modifier.
TEST(CheckTest, RevisionFunctionsRefuseTheModifiersSectionSevenNames) {
  // "history(treason) " is 17 bytes; "vintages(treason, 2016..2025) " 30;
  // "diff(treason, as of 2024, as of 2025) " 38.
  ExpectCheckError(kDefs + "history(treason) by source", "`by source` cannot be used with history",
                   kAfterDefs + 17);
  ExpectCheckError(kDefs + "vintages(treason, 2016..2025) as of 2024", "`as of` cannot be used with vintages",
                   kAfterDefs + 30);
  ExpectCheckError(kDefs + "diff(treason, as of 2024, as of 2025) as of 2024",
                   "`as of` cannot be used with diff", kAfterDefs + 38);
  ExpectCheckError(kDefs + "diff(treason, as of 2024, as of 2025) from RTVI recorded as of 2025-01-01",
                   "`recorded as of` cannot be used with diff", kAfterDefs + 48);
  ExpectCheckError(kDefs + "diff(treason, as of 2024, as of 2025) by source",
                   "`by source` cannot be used with diff", kAfterDefs + 38);
  ExpectCheckError(kDefs + "plot history(treason) by source", "`by source` cannot be used with history",
                   kAfterDefs + 22);
  // What §7 lets through.
  ExpectCheckOk(kDefs + "history(treason) as of 2024 recorded as of 2025-01-01 from RTVI");
  ExpectCheckOk(kDefs + "vintages(treason, 2016..2025) recorded as of 2025 from RTVI by source");
  ExpectCheckOk(kDefs + "diff(treason, as of 2024, recorded as of 2025-01-01T00:00Z) from RTVI");
  ExpectCheckOk(kDefs + "plot vintages(treason[2024], 2024-01..2024-12)");
}

TEST(CheckTest, RevisionFunctionsAreQueriesOfTheirOwn) {
  ExpectCheckError(kDefs + "history(treason) + 1", "history cannot be used in arithmetic", kAfterDefs);
  ExpectCheckError(kDefs + "-diff(treason, as of 2024, as of 2025)", "diff cannot be negated", kAfterDefs + 1);
  ExpectCheckError(kDefs + "assert vintages(treason, 2024..2025) > 1", "assert compares values, not vintages",
                   kAfterDefs + 7);
  ExpectCheckError(kDefs + "plot diff(treason, as of 2024, as of 2025)", "plot draws", kAfterDefs + 5);
}

}  // namespace
}  // namespace docket
