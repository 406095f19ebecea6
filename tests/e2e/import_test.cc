// End-to-end: CSV import (spec §5): header, BOM, RFC 4180 quoting, label
// columns, bounds, retractions, counts, --dry-run, atomicity and every bad
// row reported as FILE:LINE:COLUMN.
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "tests/e2e/harness.h"

namespace docket::e2e {
namespace {

using Strings = std::vector<std::string>;

constexpr char kValueHeader[] = "series,period,value,lo,hi,approx,source,reported\n";
constexpr char kCsvHeader[] = "charge,period,value,source,reported\n";

Strings SplitLines(const std::string& text) {
  Strings lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

class ImportTest : public testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(FailureOf(d_.Query("define charge treason; define charge espionage;"
                                 "define source IStories; define source PervyiOtdel; define source RTVI;")),
              "");
    before_ = d_.Fingerprint();
  }
  // Imports `files`; expects exit 65, nothing on stdout and the archive
  // unchanged; returns stderr.
  std::string Rejected(const Strings& files) {
    Strings args = {"import"};
    args.insert(args.end(), files.begin(), files.end());
    const Outcome o = d_.Run(args);
    EXPECT_EQ(o.exit_code, 65) << Describe(o);
    EXPECT_EQ(o.out, "");
    EXPECT_EQ(d_.Fingerprint(), before_);
    return o.err;
  }
  Docket d_;
  std::string before_;
};

TEST_F(ImportTest, PrintsCountsPerFileAndRecordsTheRows) {
  const std::string file = d_.WriteFile("a.csv", std::string(kCsvHeader) +
                                                     "treason,2024,145,IStories,2025-04\n"
                                                     "treason,2023,39,PervyiOtdel,2024\n");
  const Outcome o = d_.Run({"import", file});
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, file + ": 2 new, 0 corrections, 0 unchanged\n");
  EXPECT_EQ(o.err, "");
  EXPECT_EQ(d_.Query("treason").out, std::string(kValueHeader) +
                                         "treason,2023,39,39,39,false,PervyiOtdel,2024\n"
                                         "treason,2024,145,145,145,false,IStories,2025-04\n");
}

TEST_F(ImportTest, ReimportingTheSameFileChangesNothing) {
  const std::string file = d_.WriteFile("a.csv", std::string(kCsvHeader) +
                                                     "treason,2024,145,IStories,2025-04\n"
                                                     "treason,2023,39,PervyiOtdel,2024\n");
  ASSERT_EQ(FailureOf(d_.Run({"import", file})), "");
  const std::string after_first = d_.Fingerprint();
  const Outcome o = d_.Run({"import", file});
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, file + ": 0 new, 0 corrections, 2 unchanged\n");
  EXPECT_EQ(d_.Fingerprint(), after_first);
}

TEST_F(ImportTest, RowsApplyInFileOrderAsNewCorrectionOrUnchanged) {
  const std::string file = d_.WriteFile("a.csv", std::string(kCsvHeader) +
                                                     "treason,2024,145,IStories,2025-04\n"
                                                     "treason,2023,39,PervyiOtdel,2024\n"
                                                     "treason,2024,146,IStories,2025-04\n"
                                                     "treason,2024,146,IStories,2025-04\n"
                                                     "treason,2023,40,PervyiOtdel,2024\n"
                                                     "treason,2023,40,PervyiOtdel,2024\n");
  const Outcome o = d_.Run({"import", file});
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, file + ": 2 new, 2 corrections, 2 unchanged\n");
  const Outcome r = d_.Query("revisions(treason[2024])");
  EXPECT_EQ(CsvColumn(r.out, "value"), (Strings{"145", "146"}));
  EXPECT_EQ(CsvColumn(r.out, "status"), (Strings{"corrected", "current"}));
}

TEST_F(ImportTest, ARowEqualToAnExistingReportIsUnchangedAndADifferentOneACorrection) {
  ASSERT_EQ(FailureOf(d_.Query("record treason[2024] = 145 from IStories on 2025-04;"
                               "record treason[2023] = 39 from PervyiOtdel on 2024;")),
            "");
  const std::string file = d_.WriteFile("a.csv", std::string(kCsvHeader) +
                                                     "treason,2024,145,IStories,2025-04\n"
                                                     "treason,2023,38,PervyiOtdel,2024\n"
                                                     "treason,2022,16,PervyiOtdel,2024\n");
  const Outcome o = d_.Run({"import", file});
  EXPECT_EQ(o.out, file + ": 1 new, 1 corrections, 1 unchanged\n");
}

TEST_F(ImportTest, HeaderRowIsRequired) {
  const std::string file = d_.WriteFile("a.csv", "treason,2024,145,IStories,2025-04\n");
  const std::string err = Rejected({file});
  EXPECT_EQ(err.rfind("docket: " + file + ":1:", 0), 0u) << err;
}

TEST_F(ImportTest, EveryRequiredColumnMustBePresent) {
  const std::string file = d_.WriteFile("a.csv", "charge,period,value,source\ntreason,2024,145,IStories\n");
  const std::string err = Rejected({file});
  EXPECT_EQ(err.rfind("docket: " + file + ":1:", 0), 0u) << err;
  EXPECT_NE(err.find("reported"), std::string::npos) << err;
}

TEST_F(ImportTest, ColumnsMayComeInAnyOrder) {
  const std::string file =
      d_.WriteFile("a.csv", "reported,source,value,period,charge\n2025-04,IStories,145,2024,treason\n");
  const Outcome o = d_.Run({"import", file});
  EXPECT_EQ(o.exit_code, 0) << Describe(o);
  EXPECT_EQ(d_.Query("treason").out, std::string(kValueHeader) + "treason,2024,145,145,145,false,IStories,2025-04\n");
}

TEST_F(ImportTest, AUtf8ByteOrderMarkIsSkipped) {
  const std::string file =
      d_.WriteFile("a.csv", "\xEF\xBB\xBF" + std::string(kCsvHeader) + "treason,2024,145,IStories,2025-04\n");
  const Outcome o = d_.Run({"import", file});
  EXPECT_EQ(o.exit_code, 0) << Describe(o);
  EXPECT_EQ(o.out, file + ": 1 new, 0 corrections, 0 unchanged\n");
}

TEST_F(ImportTest, CrLfLineEndingsAreAccepted) {
  const std::string file = d_.WriteFile(
      "a.csv", "charge,period,value,source,reported\r\ntreason,2024,145,IStories,2025-04\r\n"
               "treason,2023,39,PervyiOtdel,2024\r\n");
  const Outcome o = d_.Run({"import", file});
  EXPECT_EQ(o.exit_code, 0) << Describe(o);
  EXPECT_EQ(d_.Query("treason[2023]").out, std::string(kValueHeader) + "treason,2023,39,39,39,false,PervyiOtdel,2024\n");
}

TEST_F(ImportTest, QuotedFieldsMayHoldCommasQuotesAndNewlines) {
  const std::string file =
      d_.WriteFile("a.csv",
                   "charge,period,value,source,reported,note,url\n"
                   "treason,2024,145,IStories,2025-04,\"court data, \"\"analysis\"\"\nsecond line\",\"https://x/?a=1,2\"\n");
  ASSERT_EQ(FailureOf(d_.Run({"import", file})), "");
  const Outcome r = d_.Query("revisions(treason[2024])");
  EXPECT_EQ(CsvColumn(r.out, "note"), Strings{"court data, \"analysis\"\nsecond line"});
  EXPECT_EQ(CsvColumn(r.out, "url"), Strings{"https://x/?a=1,2"});
}

TEST_F(ImportTest, ABadRowAfterAMultilineRecordIsReportedAtItsPhysicalLine) {
  const std::string file = d_.WriteFile("a.csv",
                                        "charge,period,value,source,reported,note\n"
                                        "treason,2024,145,IStories,2025-04,\"first\n"
                                        "second\"\n"
                                        "treason,2023,-5,IStories,2024,x\n");
  const std::string err = Rejected({file});
  EXPECT_EQ(err.rfind("docket: " + file + ":4:14: ", 0), 0u) << err;
}

TEST_F(ImportTest, ABadMultilineRecordIsReportedAtTheLineWhereItStarts) {
  const std::string file = d_.WriteFile("a.csv",
                                        "charge,period,value,source,reported,note\n"
                                        "treason,2024,145,IStories,2025-04,\"first\n"
                                        "second\"\n"
                                        "treason,2023,39,IStories,2099,\"a\n"
                                        "b\"\n");
  const std::string err = Rejected({file});
  EXPECT_EQ(err.rfind("docket: " + file + ":4:26: ", 0), 0u) << err;
}

TEST_F(ImportTest, TheBadColumnCountsCharactersNotBytes) {
  const std::string file = d_.WriteFile("a.csv",
                                        "charge,region,period,value,source,reported\n"
                                        "treason,Томская область,2024,-5,IStories,2025\n");
  const std::string err = Rejected({file});
  EXPECT_EQ(err.rfind("docket: " + file + ":2:30: ", 0), 0u) << err;
}

TEST_F(ImportTest, OtherColumnsAreLabelsAndAnEmptyCellMeansAbsent) {
  const std::string file = d_.WriteFile("a.csv",
                                        "charge,period,value,source,reported,citizenship\n"
                                        "espionage,2024,18,RTVI,2024-12,UA\n"
                                        "espionage,2024,28,RTVI,2024-12,\n");
  ASSERT_EQ(FailureOf(d_.Run({"import", file})), "");
  const Outcome o = d_.Query("espionage{citizenship=*}; espionage");
  EXPECT_EQ(o.out, std::string(kValueHeader) +
                       "\"espionage{citizenship=\"\"UA\"\"}\",2024,18,18,18,false,RTVI,2024-12\n\n" + kValueHeader +
                       "espionage,2024,28,28,28,false,RTVI,2024-12\n");
}

TEST_F(ImportTest, AReservedLabelColumnIsRejected) {
  const std::string file = d_.WriteFile("a.csv",
                                        "charge,period,value,source,reported,status\n"
                                        "espionage,2024,18,RTVI,2024-12,x\n");
  const std::string err = Rejected({file});
  EXPECT_EQ(err.rfind("docket: " + file + ":1:37: ", 0), 0u) << err;
}

TEST_F(ImportTest, AnInvalidLabelColumnNameIsRejected) {
  const std::string file = d_.WriteFile("a.csv",
                                        "charge,period,value,source,reported,Citizenship\n"
                                        "espionage,2024,18,RTVI,2024-12,x\n");
  const std::string err = Rejected({file});
  EXPECT_EQ(err.rfind("docket: " + file + ":1:37: ", 0), 0u) << err;
}

TEST_F(ImportTest, TheValueCellMayCarryTheBound) {
  const std::string file = d_.WriteFile("a.csv", std::string(kCsvHeader) +
                                                     "espionage,2021,>=28,RTVI,2024-12\n"
                                                     "espionage,2022,~36,RTVI,2024-12\n"
                                                     "espionage,2023,<=10,RTVI,2024-12\n"
                                                     "espionage,2024,5,RTVI,2024-12\n");
  ASSERT_EQ(FailureOf(d_.Run({"import", file})), "");
  EXPECT_EQ(CsvColumn(d_.Query("espionage").out, "value"), (Strings{">=28", "~36", "<=10", "5"}));
}

TEST_F(ImportTest, TheBoundColumnSetsTheBound) {
  const std::string file = d_.WriteFile("a.csv",
                                        "charge,period,value,bound,source,reported\n"
                                        "espionage,2021,28,>=,RTVI,2024-12\n"
                                        "espionage,2022,>=29,>=,RTVI,2024-12\n"
                                        "espionage,2023,10,<=,RTVI,2024-12\n"
                                        "espionage,2024,36,~,RTVI,2024-12\n"
                                        "espionage,2025-H1,5,=,RTVI,2024-12\n");
  ASSERT_EQ(FailureOf(d_.Run({"import", file})), "");
  EXPECT_EQ(CsvColumn(d_.Query("espionage").out, "value"), (Strings{">=28", ">=29", "<=10", "~36", "5"}));
}

TEST_F(ImportTest, ABoundColumnThatDisagreesWithTheValuePrefixIsRejected) {
  const std::string file = d_.WriteFile("a.csv",
                                        "charge,period,value,bound,source,reported\n"
                                        "espionage,2021,28,>=,RTVI,2024-12\n"
                                        "espionage,2022,>=28,=,RTVI,2024-12\n");
  const std::string err = Rejected({file});
  EXPECT_EQ(err.rfind("docket: " + file + ":3:", 0), 0u) << err;
}

TEST_F(ImportTest, RetractedRecordsARetraction) {
  ASSERT_EQ(FailureOf(d_.Query("record treason[2024] = 145 from IStories on 2025-04;"
                               "record treason[2024] = 39 from PervyiOtdel on 2025-01;")),
            "");
  const std::string file = d_.WriteFile("a.csv", std::string(kCsvHeader) + "treason,2024,retracted,IStories,2025-05\n");
  const Outcome o = d_.Run({"import", file});
  EXPECT_EQ(o.exit_code, 0) << Describe(o);
  EXPECT_EQ(o.out, file + ": 1 new, 0 corrections, 0 unchanged\n");
  EXPECT_EQ(d_.Query("treason[2024]").out,
            std::string(kValueHeader) + "treason,2024,39,39,39,false,PervyiOtdel,2025-01\n");
}

TEST_F(ImportTest, RetractedWithoutAnEarlierReportIsABadRow) {
  const std::string file = d_.WriteFile("a.csv", std::string(kCsvHeader) + "treason,2024,retracted,IStories,2025-05\n");
  const std::string err = Rejected({file});
  EXPECT_EQ(err.rfind("docket: " + file + ":2:", 0), 0u) << err;
}

TEST_F(ImportTest, ARetractionAfterItsReportInTheSameFileIsAccepted) {
  const std::string file = d_.WriteFile("a.csv", std::string(kCsvHeader) +
                                                     "treason,2024,145,IStories,2025-04\n"
                                                     "treason,2024,retracted,IStories,2025-05\n");
  const Outcome o = d_.Run({"import", file});
  EXPECT_EQ(o.exit_code, 0) << Describe(o);
  EXPECT_EQ(o.out, file + ": 2 new, 0 corrections, 0 unchanged\n");
  EXPECT_EQ(d_.Query("treason[2024]").out, kValueHeader);
}

TEST_F(ImportTest, DryRunPrintsTheCountsAndWritesNothing) {
  const std::string file = d_.WriteFile("a.csv", std::string(kCsvHeader) +
                                                     "treason,2024,145,IStories,2025-04\n"
                                                     "treason,2024,146,IStories,2025-04\n");
  const Outcome o = d_.Run({"import", "--dry-run", file});
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, file + ": 1 new, 1 corrections, 0 unchanged (dry run)\n");
  EXPECT_EQ(o.err, "");
  EXPECT_EQ(d_.Fingerprint(), before_);
}

TEST_F(ImportTest, DryRunReportsBadRows) {
  const std::string file = d_.WriteFile("a.csv", std::string(kCsvHeader) + "treason,2024,-1,IStories,2025-04\n");
  const Outcome o = d_.Run({"import", "--dry-run", file});
  EXPECT_EQ(o.exit_code, 65);
  EXPECT_EQ(o.err.rfind("docket: " + file + ":2:14: ", 0), 0u) << o.err;
  EXPECT_EQ(d_.Fingerprint(), before_);
}

TEST_F(ImportTest, SeveralFilesPrintOneLineEachInOrder) {
  const std::string a = d_.WriteFile("a.csv", std::string(kCsvHeader) +
                                                  "treason,2024,145,IStories,2025-04\n"
                                                  "treason,2023,39,PervyiOtdel,2024\n");
  const std::string b = d_.WriteFile("b.csv", std::string(kCsvHeader) +
                                                  "treason,2024,145,IStories,2025-04\n"
                                                  "espionage,2024,23,IStories,2025-04\n");
  const Outcome o = d_.Run({"import", a, b});
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, a + ": 2 new, 0 corrections, 0 unchanged\n" + b + ": 1 new, 0 corrections, 1 unchanged\n");
  EXPECT_EQ(o.err, "");
}

TEST_F(ImportTest, BadRowInSecondFileRecordsNothingFromFirst) {
  const std::string a = d_.WriteFile("a.csv", std::string(kCsvHeader) + "treason,2024,145,IStories,2025-04\n");
  const std::string b = d_.WriteFile("b.csv", std::string(kCsvHeader) +
                                                  "treason,2023,39,PervyiOtdel,2024\n"
                                                  "tresaon,2022,16,PervyiOtdel,2024\n");
  const std::string err = Rejected({a, b});
  EXPECT_EQ(err.rfind("docket: " + b + ":3:1: ", 0), 0u) << err;
  EXPECT_NE(err.find("unknown charge `tresaon`; did you mean `treason`?"), std::string::npos) << err;
}

TEST_F(ImportTest, EveryBadRowIsReportedWithItsFileLineAndColumn) {
  const std::string file = d_.WriteFile("a.csv", std::string(kCsvHeader) +
                                                     "treason,2024,x,IStories,2025-04\n"  // value
                                                     "treason,2023,39,PervyiOtdel,2024\n"
                                                     "treason,2024-13,1,IStories,2025-04\n"  // period
                                                     "treason,2022,1,IStorie,2025-04\n"      // source
                                                     "treason,2021,1,IStories,2025-02-30\n"  // reported
                                                     "treason,2020,1,IStories,2026\n");      // future
  const std::string err = Rejected({file});
  Strings places;
  for (const auto& line : SplitLines(err)) {
    if (line.rfind("docket: " + file + ":", 0) != 0) continue;
    const std::string rest = line.substr(("docket: " + file + ":").size());
    places.push_back(rest.substr(0, rest.find(": ")));
  }
  EXPECT_EQ(places, (Strings{"2:14", "4:9", "5:16", "6:25", "7:25"})) << err;
  EXPECT_NE(err.find("unknown source `IStorie`; did you mean `IStories`?"), std::string::npos) << err;
}

TEST_F(ImportTest, ARowWithTheWrongNumberOfFieldsIsBad) {
  const std::string file = d_.WriteFile("a.csv", std::string(kCsvHeader) + "treason,2024,145,IStories\n");
  const std::string err = Rejected({file});
  EXPECT_EQ(err.rfind("docket: " + file + ":2:", 0), 0u) << err;
}

TEST_F(ImportTest, AtMostFiftyBadRowsAreShownThenACount) {
  std::string csv = kCsvHeader;
  for (int i = 0; i < 60; ++i) csv += "treason," + std::to_string(1900 + i) + ",-1,IStories,2025-04\n";
  const std::string file = d_.WriteFile("a.csv", csv);
  const std::string err = Rejected({file});
  const Strings lines = SplitLines(err);
  size_t shown = 0;
  for (const auto& line : lines) shown += line.rfind("docket: " + file + ":", 0) == 0 ? 1 : 0;
  EXPECT_EQ(shown, 50u) << err;
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines[0].rfind("docket: " + file + ":2:14: ", 0), 0u) << lines[0];
  EXPECT_EQ(lines[49].rfind("docket: " + file + ":51:14: ", 0), 0u) << lines[49];
  ASSERT_GT(lines.size(), 50u) << err;
  const std::string& count = lines.back();
  EXPECT_TRUE(count.find("60") != std::string::npos || count.find("10") != std::string::npos) << count;
}

// A name that no definition could have is invalid, not unknown: checked
// only once the name is not defined.
TEST_F(ImportTest, AnUndefinableChargeOrSourceNameIsInvalidNotUnknown) {
  const std::string file = d_.WriteFile("a.csv", std::string(kCsvHeader) +
                                                     "Treason,2024,1,IStories,2025-04\n"
                                                     "treason,2024,1,R-TV,2025-04\n");
  const std::string err = Rejected({file});
  EXPECT_EQ(SplitLines(err), (Strings{"docket: " + file + ":2:1: invalid charge name `Treason`",
                                      "docket: " + file + ":3:16: invalid source name `R-TV`"}))
      << err;
}

TEST_F(ImportTest, CsvRowsNeedDefinedChargesAndSources) {
  const std::string file = d_.WriteFile("a.csv", std::string(kCsvHeader) + "terrorism,2024,1,IStories,2025-04\n");
  const std::string err = Rejected({file});
  EXPECT_EQ(err.rfind("docket: " + file + ":2:1: ", 0), 0u) << err;
}

TEST_F(ImportTest, VersionsAreStampedInFileOrder) {
  const std::string file = d_.WriteFile("a.csv", std::string(kCsvHeader) +
                                                     "treason,2024,145,IStories,2025-04\n"
                                                     "treason,2023,39,PervyiOtdel,2024\n"
                                                     "treason,2024,146,IStories,2025-04\n");
  ASSERT_EQ(FailureOf(d_.Run({"import", file})), "");
  const Outcome o = d_.Query("revisions(treason)");
  EXPECT_EQ(CsvColumn(o.out, "recorded"), (Strings{"2025-11-01T00:00:00.000001Z", "2025-11-01T00:00:00.000000Z",
                                                   "2025-11-01T00:00:00.000002Z"}));
}

TEST_F(ImportTest, AMissingFileIsAnErrorAndNothingIsImported) {
  const std::string a = d_.WriteFile("a.csv", std::string(kCsvHeader) + "treason,2024,145,IStories,2025-04\n");
  const Outcome o = d_.Run({"import", a, d_.dir().File("missing.csv")});
  EXPECT_NE(o.exit_code, 0);
  EXPECT_EQ(o.err.rfind("docket: " + d_.dir().File("missing.csv"), 0), 0u) << o.err;
  EXPECT_EQ(d_.Fingerprint(), before_);
}

TEST_F(ImportTest, InvalidUtf8IsABadFieldAtItsColumn) {
  const std::string file = d_.WriteFile("a.csv",
                                        "charge,period,value,source,reported,note\n"
                                        "treason,2024,1,IStories,2025,ok\n"
                                        "treason,2023,1,IStories,2025,b\xff" "d\n");
  const std::string err = Rejected({file});
  EXPECT_EQ(err.rfind("docket: " + file + ":3:30: ", 0), 0u) << err;
}

}  // namespace
}  // namespace docket::e2e
