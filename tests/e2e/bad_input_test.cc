// End-to-end: bad input in scripts (spec §1, §2, §5): each is exit 65 with a
// message placed at the problem, and the archive is left unchanged.
#include <gtest/gtest.h>

#include <string>

#include "tests/e2e/harness.h"

namespace docket::e2e {
namespace {

constexpr char kSetup[] =
    "define charge treason; define charge espionage; define source IStories; define source RTVI;"
    "record treason[2024] = 145 from IStories on 2025-04;";

class BadInputTest : public testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(FailureOf(d_.Query(kSetup)), "");
    before_ = d_.Fingerprint();
  }
  // Runs `script`, expects exit 65 with nothing on stdout and the archive
  // unchanged, and returns stderr.
  std::string Rejected(const std::string& script) {
    const Outcome o = d_.Query(script);
    EXPECT_EQ(o.exit_code, 65) << script << "\n" << Describe(o);
    EXPECT_EQ(o.out, "") << script;
    EXPECT_EQ(d_.Fingerprint(), before_) << script;
    return o.err;
  }
  // Expects `err` to be `docket: -e: ...` or `docket: -e:LINE:COL: ...` (the
  // spec asks a place of parse errors only; if one is given it must be
  // `place`), with `needle` in the message.
  static void ExpectMessage(const std::string& err, const std::string& place, const std::string& needle) {
    EXPECT_TRUE(PlacedAt(err, place)) << "want `docket: -e[:" << place << "]: ` in:\n" << err;
    EXPECT_NE(err.find(needle), std::string::npos) << "want `" << needle << "` in:\n" << err;
  }
  static bool PlacedAt(const std::string& err, const std::string& place) {
    return err.rfind("docket: -e: ", 0) == 0 || err.rfind("docket: -e:" + place + ": ", 0) == 0;
  }
  Docket d_;
  std::string before_;
};

TEST_F(BadInputTest, ParseErrorShowsLineColumnTheLineAndACaret) {
  const std::string err = Rejected("treason[2024];\nrecord treason[2023] = 39 frm IStories on 2024");
  EXPECT_EQ(err.rfind("docket: -e:2:27: expected ", 0), 0u) << err;
  EXPECT_TRUE(err.ends_with("\nrecord treason[2023] = 39 frm IStories on 2024\n" + std::string(26, ' ') + "^\n"))
      << err;
}

TEST_F(BadInputTest, ParseErrorColumnCountsCharactersNotBytes) {
  // 7 Cyrillic letters (14 bytes) before the error: the column counts 7.
  const std::string line = "record treason{region=\"Томская\"}[2024] = 5 fro IStories on 2025";
  const std::string err = Rejected(line);
  EXPECT_EQ(err.rfind("docket: -e:1:44: expected ", 0), 0u) << err;
  EXPECT_TRUE(err.ends_with("\n" + line + "\n" + std::string(43, ' ') + "^\n")) << err;
}

struct ParseErrorCase {
  const char* script;
  int line, column;
};

TEST_F(BadInputTest, ParseErrorsPointAtTheUnexpectedToken) {
  const ParseErrorCase cases[] = {
      {"treason[2024", 1, 13},
      {"record treason[2024] = from IStories on 2025", 1, 24},
      {"show chargez", 1, 6},
      {"growth(treason, 2023)", 1, 21},
      {"assert treason[2024] >= ", 1, 25},
      {"define charge treason title", 1, 28},
      {"treason{region=\"a\"[2024]", 1, 19},
      {"treason[2024] as of", 1, 20},
      {"treason[2024];\n  treason[2023] treason[2022]", 2, 17},
      {"treason[2024] +* 2", 1, 16},
  };
  for (const auto& c : cases) {
    const std::string err = Rejected(c.script);
    const std::string place = "docket: -e:" + std::to_string(c.line) + ":" + std::to_string(c.column) + ": expected ";
    EXPECT_EQ(err.rfind(place, 0), 0u) << c.script << "\n" << err;
    // Then the line as it is and a caret under the spot.
    std::string text = c.script;
    for (int l = 1; l < c.line; ++l) text = text.substr(text.find('\n') + 1);
    text = text.substr(0, text.find('\n'));
    EXPECT_TRUE(err.ends_with("\n" + text + "\n" + std::string(static_cast<size_t>(c.column - 1), ' ') + "^\n"))
        << c.script << "\n" << err;
  }
}

TEST_F(BadInputTest, UnterminatedStringIsAParseError) {
  const std::string err = Rejected("record treason[2023] = 39 from IStories on 2024 note \"open");
  EXPECT_EQ(err.rfind("docket: -e", 0), 0u) << err;
}

TEST_F(BadInputTest, BackslashBeforeAnythingButQuoteOrBackslashIsAnError) {
  const std::string err = Rejected("record treason[2023] = 39 from IStories on 2024 note \"a\\qb\"");
  EXPECT_EQ(err.rfind("docket: -e", 0), 0u) << err;
}

TEST_F(BadInputTest, EscapedQuoteAndBackslashAreKept) {
  ASSERT_EQ(FailureOf(d_.Query("record treason[2023] = 39 from IStories on 2024 note \"say \\\"hi\\\" \\\\ bye\"")),
            "");
  EXPECT_EQ(CsvColumn(d_.Query("revisions(treason[2023])").out, "note"),
            std::vector<std::string>{"say \"hi\" \\ bye"});
}

TEST_F(BadInputTest, UnknownChargeSuggestsTheClosestCharge) {
  const std::string err = Rejected("record tresaon[2023] = 39 from IStories on 2024");
  ExpectMessage(err, "1:8", "unknown charge `tresaon`; did you mean `treason`?");
}

TEST_F(BadInputTest, UnknownSourceSuggestsTheClosestSource) {
  const std::string err = Rejected("record treason[2023] = 39 from IStoires on 2024");
  ExpectMessage(err, "1:32", "unknown source `IStoires`; did you mean `IStories`?");
}

TEST_F(BadInputTest, UnknownFunctionSuggestsTheClosestFunction) {
  const std::string err = Rejected("record treason[2020] = 1 from IStories on 2021; growht(treason)");
  ExpectMessage(err, "1:49", "unknown function `growht`; did you mean `growth`?");
}

TEST_F(BadInputTest, NothingCloseEnoughGivesNoSuggestion) {
  const std::string err = Rejected("trxxxon[2024]");
  EXPECT_NE(err.find("unknown charge `trxxxon`"), std::string::npos) << err;
  EXPECT_EQ(err.find("did you mean"), std::string::npos) << err;
}

TEST_F(BadInputTest, SuggestionTiesGoToByteOrder) {
  ASSERT_EQ(FailureOf(d_.Query("define charge ab; define charge ac")), "");
  before_ = d_.Fingerprint();
  const std::string err = Rejected("aa[2024]");
  EXPECT_NE(err.find("unknown charge `aa`; did you mean `ab`?"), std::string::npos) << err;
}

TEST_F(BadInputTest, SuggestionsAllowATranspositionAndAnInsertion) {
  // Damerau-Levenshtein: ca -> ac (transposition) -> abc (insertion) is 2.
  ASSERT_EQ(FailureOf(d_.Query("define charge abc")), "");
  before_ = d_.Fingerprint();
  const std::string err = Rejected("ca[2024]");
  EXPECT_NE(err.find("unknown charge `ca`; did you mean `abc`?"), std::string::npos) << err;
}

TEST_F(BadInputTest, SuggestionsComeOnlyFromNamesOfTheSameKind) {
  ASSERT_EQ(FailureOf(d_.Query("define source tresaon")), "");
  before_ = d_.Fingerprint();
  // `tresaon` is a source, not a charge; the closest charge is `treason`.
  const std::string err = Rejected("tresaon[2024]");
  EXPECT_NE(err.find("unknown charge `tresaon`; did you mean `treason`?"), std::string::npos) << err;
}

TEST_F(BadInputTest, InvalidUtf8IsRejectedAtItsCharacterColumn) {
  const std::string path = d_.WriteFile("bad.docket", "record treason[2023] = 1 from IStories on 2025 note \"Т\xff\";");
  const Outcome o = d_.Run({"-f", path});
  EXPECT_EQ(o.exit_code, 65);
  EXPECT_EQ(o.err.rfind("docket: " + path + ":1:55: ", 0), 0u) << o.err;
  EXPECT_EQ(d_.Fingerprint(), before_);
}

TEST_F(BadInputTest, AKeywordCannotNameACharge) {
  Rejected("define charge from");
}

TEST_F(BadInputTest, NegativeCountIsRejected) {
  const std::string err = Rejected("record treason[2023] = -1 from IStories on 2024");
  EXPECT_TRUE(PlacedAt(err, "1:24")) << err;
}

TEST_F(BadInputTest, DecimalCountIsRejected) {
  const std::string err = Rejected("record treason[2023] = 39.5 from IStories on 2024");
  EXPECT_TRUE(PlacedAt(err, "1:24")) << err;
}

TEST_F(BadInputTest, CountAboveTwoToTheFiftyThirdMinusOneIsRejected) {
  const std::string err = Rejected("record treason[2023] = 9007199254740992 from IStories on 2024");
  EXPECT_TRUE(PlacedAt(err, "1:24")) << err;
}

TEST_F(BadInputTest, TwoToTheFiftyThirdMinusOneIsAccepted) {
  ASSERT_EQ(FailureOf(d_.Query("record treason[2023] = 9007199254740991 from IStories on 2024")), "");
  EXPECT_EQ(d_.Query("treason[2023]").out,
            "series,period,value,lo,hi,approx,source,reported\n"
            "treason,2023,9007199254740991,9007199254740991,9007199254740991,false,IStories,2024\n");
}

TEST_F(BadInputTest, ReportedDateAfterTodayIsRejected) {
  // Today is 2025-11-01 (DOCKET_NOW).
  for (const char* date : {"2025-11-02", "2025-12", "2026"}) {
    const std::string err = Rejected(std::string("record treason[2023] = 39 from IStories on ") + date);
    EXPECT_TRUE(PlacedAt(err, "1:44")) << date << ": " << err;
    EXPECT_NE(err.find(date), std::string::npos) << err;
  }
}

TEST_F(BadInputTest, ReportedDateWhoseFirstDayIsTodayIsAccepted) {
  ASSERT_EQ(FailureOf(d_.Query("record treason[2021] = 1 from IStories on 2025-11-01;"
                               "record treason[2022] = 2 from IStories on 2025-11;"
                               "record treason[2023] = 3 from IStories on 2025;")),
            "");
}

TEST_F(BadInputTest, NonexistentDateIsRejected) {
  for (const char* date : {"2024-02-30", "2023-02-29", "2024-04-31", "2024-13", "2024-00-10"}) {
    const std::string err = Rejected(std::string("record treason[2023] = 39 from IStories on ") + date);
    EXPECT_EQ(err.rfind("docket: -e", 0), 0u) << date << ": " << err;
  }
}

TEST_F(BadInputTest, LeapDayIsAccepted) {
  ASSERT_EQ(FailureOf(d_.Query("record treason[2023] = 39 from IStories on 2024-02-29")), "");
}

TEST_F(BadInputTest, MalformedPeriodIsRejected) {
  for (const char* period : {"2024-13", "2024-H3", "2024-Q5", "2024-00", "24"}) {
    const std::string err = Rejected(std::string("treason[") + period + "]");
    EXPECT_EQ(err.rfind("docket: -e", 0), 0u) << period << ": " << err;
  }
}

TEST_F(BadInputTest, MalformedAsOfDateIsRejected) {
  const std::string err = Rejected("treason[2024] as of 2024-02-30");
  EXPECT_EQ(err.rfind("docket: -e", 0), 0u) << err;
}

TEST_F(BadInputTest, BadTimestampIsRejected) {
  for (const char* ts : {"2025-03-01T25:00Z", "2025-03-01T12:00", "2025-03-01T12:00:00.1234567Z",
                         "2025-03-01T12:60Z", "2025-03-01T12:00+2:00"}) {
    const std::string err = Rejected(std::string("treason[2024] recorded as of ") + ts);
    EXPECT_EQ(err.rfind("docket: -e", 0), 0u) << ts << ": " << err;
  }
}

TEST_F(BadInputTest, ReservedLabelKeyIsRejected) {
  for (const char* key : {"source", "period", "status", "note", "url", "bound", "value"}) {
    const std::string err = Rejected(std::string("record treason{") + key + "=\"x\"}[2024] = 1 from IStories on 2025");
    EXPECT_EQ(err.rfind("docket: -e", 0), 0u) << key << ": " << err;
  }
}

TEST_F(BadInputTest, DuplicateLabelKeyIsRejected) {
  Rejected("record treason{region=\"A\", region=\"B\"}[2024] = 1 from IStories on 2025");
  Rejected("treason{region=\"A\", region=*}");
}

TEST_F(BadInputTest, EmptyLabelValueIsRejected) {
  Rejected("record treason{region=\"\"}[2024] = 1 from IStories on 2025");
}

TEST_F(BadInputTest, RangeWithMixedGranularityIsRejected) {
  const std::string err = Rejected("treason[2023..2024-H1]");
  EXPECT_EQ(err.rfind("docket: -e", 0), 0u) << err;
}

TEST_F(BadInputTest, RetractWithoutAReportIsRejected) {
  const std::string err = Rejected("retract treason[2023] from IStories on 2025-01-01");
  EXPECT_EQ(err.rfind("docket: -e", 0), 0u) << err;
}

TEST_F(BadInputTest, RetractDatedBeforeTheOnlyReportIsRejected) {
  // IStories reported treason[2024] on 2025-04 (2025-04-30).
  Rejected("retract treason[2024] from IStories on 2025-04-29");
}

TEST_F(BadInputTest, RetractByAnotherSourceIsRejected) {
  Rejected("retract treason[2024] from RTVI on 2025-05-01");
}

TEST_F(BadInputTest, RecordNeedsOneConcreteSeriesAndOnePeriod) {
  Rejected("record treason{region=*}[2024] = 1 from IStories on 2025");
  Rejected("record treason = 1 from IStories on 2025");
  Rejected("record treason[2023..2024] = 1 from IStories on 2025");
  Rejected("retract treason{region=*}[2024] from IStories on 2025");
}

TEST_F(BadInputTest, RecordTakesNoModifiers) {
  Rejected("record treason[2023] = 1 from IStories on 2025 as of 2025-01-01");
  Rejected("record treason[2023] = 1 from IStories on 2025 by source");
}

TEST_F(BadInputTest, RecordWithoutFromOrOnIsRejected) {
  Rejected("record treason[2023] = 1 on 2025");
  Rejected("record treason[2023] = 1 from IStories");
}

TEST_F(BadInputTest, AnErrorInALaterStatementRejectsTheWholeScript) {
  const std::string err = Rejected("record treason[2023] = 39 from IStories on 2024; treason[2024-13]");
  EXPECT_EQ(err.rfind("docket: -e", 0), 0u) << err;
}

TEST(BadInputOnMissingArchiveTest, BadInputCreatesNoArchive) {
  Docket d;
  const Outcome o = d.Query("define charge x; define source A; record x[2024] = -5 from A on 2025");
  EXPECT_EQ(o.exit_code, 65);
  EXPECT_EQ(d.Fingerprint(), "<missing>");
}

}  // namespace
}  // namespace docket::e2e
