// End-to-end: resolution of "the" value of a cell (spec §1): latest reported
// wins, ties by priority then byte order, partial dates, retractions,
// corrections, idempotent records and the recorded stamps.
#include <gtest/gtest.h>

#include <string>

#include "tests/e2e/harness.h"

namespace docket::e2e {
namespace {

using Strings = std::vector<std::string>;

constexpr char kValueHeader[] = "series,period,value,lo,hi,approx,source,reported\n";

// The csv row of `x[2024]` (without the header), or what went wrong.
std::string Row(const Docket& d, const std::string& modifiers = "") {
  const Outcome o = d.Query("x[2024]" + modifiers);
  if (o.exit_code != 0 || o.out.rfind(kValueHeader, 0) != 0) return Describe(o);
  return o.out.substr(sizeof kValueHeader - 1);
}

TEST(ResolutionTest, LatestReportedWinsWhateverThePriority) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query("define charge x; define source A priority 10; define source B;"
                              "record x[2024] = 2 from B on 2025-01-20;"
                              "record x[2024] = 1 from A on 2025-01-10;")),
            "");
  EXPECT_EQ(Row(d), "x,2024,2,2,2,false,B,2025-01-20\n");
}

TEST(ResolutionTest, SameReportedDayGoesToTheHigherPriority) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query("define charge x; define source A; define source B priority 5;"
                              "record x[2024] = 1 from A on 2025-01-10;"
                              "record x[2024] = 2 from B on 2025-01-10;")),
            "");
  EXPECT_EQ(Row(d), "x,2024,2,2,2,false,B,2025-01-10\n");
}

TEST(ResolutionTest, SameDayAndPriorityGoesToTheNameFirstInByteOrder) {
  Docket d;
  // Byte order puts `Zeta` before `alpha` (and `IStories` before `RTVI`).
  ASSERT_EQ(FailureOf(d.Query("define charge x; define charge y; define source alpha; define source Zeta;"
                              "define source RTVI; define source IStories;"
                              "record x[2024] = 1 from alpha on 2025-01-10;"
                              "record x[2024] = 2 from Zeta on 2025-01-10;"
                              "record y[2024] = 3 from RTVI on 2025-01-10;"
                              "record y[2024] = 4 from IStories on 2025-01-10;")),
            "");
  EXPECT_EQ(Row(d), "x,2024,2,2,2,false,Zeta,2025-01-10\n");
  const Outcome o = d.Query("y[2024]");
  EXPECT_EQ(o.out, std::string(kValueHeader) + "y,2024,4,4,4,false,IStories,2025-01-10\n");
}

TEST(ResolutionTest, ChangedPriorityAppliesToEveryQueryIncludingRecordedAsOf) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query("define charge x; define source A; define source B;"
                              "record x[2024] = 1 from A on 2025-01-10;"
                              "record x[2024] = 2 from B on 2025-01-10;")),
            "");
  ASSERT_EQ(Row(d), "x,2024,1,1,1,false,A,2025-01-10\n");
  d.env()["DOCKET_NOW"] = "2025-11-05T00:00:00Z";
  ASSERT_EQ(FailureOf(d.Query("define source B priority 5")), "");
  EXPECT_EQ(Row(d), "x,2024,2,2,2,false,B,2025-01-10\n");
  // Definitions are not versioned: the past, seen now, uses today's priority.
  EXPECT_EQ(Row(d, " recorded as of 2025-11-01T00:00:00.000001Z"), "x,2024,2,2,2,false,B,2025-01-10\n");
}

TEST(ResolutionTest, APartialReportedDateStandsForItsLastDay) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query("define charge x; define charge y; define source A; define source B;"
                              "record x[2024] = 1 from A on 2025-04;"
                              "record x[2024] = 2 from B on 2025-04-29;"
                              "record y[2024] = 3 from A on 2025-04;"
                              "record y[2024] = 4 from B on 2025-05-01;")),
            "");
  EXPECT_EQ(Row(d), "x,2024,1,1,1,false,A,2025-04\n");
  const Outcome o = d.Query("y[2024]");
  EXPECT_EQ(o.out, std::string(kValueHeader) + "y,2024,4,4,4,false,B,2025-05-01\n");
}

TEST(ResolutionTest, APartialDateAndItsLastDayTieAcrossSources) {
  Docket d;
  // `2025-04` and `2025-04-30` are the same day: the tie goes to priority, then name.
  ASSERT_EQ(FailureOf(d.Query("define charge x; define source A; define source B;"
                              "record x[2024] = 2 from B on 2025-04;"
                              "record x[2024] = 1 from A on 2025-04-30;")),
            "");
  EXPECT_EQ(Row(d), "x,2024,1,1,1,false,A,2025-04-30\n");
  ASSERT_EQ(FailureOf(d.Query("define source B priority 1")), "");
  EXPECT_EQ(Row(d), "x,2024,2,2,2,false,B,2025-04\n");
}

TEST(ResolutionTest, OfOneSourcesTwoReportsOnTheSameDayTheOneRecordedLaterCounts) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query("define charge x; define source A;"
                              "record x[2024] = 1 from A on 2025-04;"
                              "record x[2024] = 2 from A on 2025-04-30;")),
            "");
  EXPECT_EQ(Row(d), "x,2024,2,2,2,false,A,2025-04-30\n");
  // Correcting the `2025-04` report makes its newest version the later one.
  ASSERT_EQ(FailureOf(d.Query("record x[2024] = 3 from A on 2025-04")), "");
  EXPECT_EQ(Row(d), "x,2024,3,3,3,false,A,2025-04\n");
}

TEST(ResolutionTest, TheGreatestReportedDateCountsNotTheLastRecorded) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query("define charge x; define source A;"
                              "record x[2024] = 12 from A on 2025-02-01;"
                              "record x[2024] = 10 from A on 2025-01-01;")),
            "");
  EXPECT_EQ(Row(d), "x,2024,12,12,12,false,A,2025-02-01\n");
}

class RetractionTest : public testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(FailureOf(d_.Query("define charge x; define source A; define source B;"
                                 "record x[2024] = 10 from A on 2025-01-01;"
                                 "record x[2024] = 20 from B on 2025-02-01;"
                                 "retract x[2024] from B on 2025-03-01;")),
              "");
  }
  Docket d_;
};

TEST_F(RetractionTest, ARetractedSourceHasNoFigureSoAnOlderReportWins) {
  EXPECT_EQ(Row(d_), "x,2024,10,10,10,false,A,2025-01-01\n");
}

TEST_F(RetractionTest, BeforeItsDateTheRetractedFigureStands) {
  EXPECT_EQ(Row(d_, " as of 2025-02-28"), "x,2024,20,20,20,false,B,2025-02-01\n");
  EXPECT_EQ(Row(d_, " as of 2025-03-01"), "x,2024,10,10,10,false,A,2025-01-01\n");
}

TEST_F(RetractionTest, RetractingEverySourceLeavesNoRows) {
  ASSERT_EQ(FailureOf(d_.Query("retract x[2024] from A on 2025-03-02")), "");
  const Outcome o = d_.Query("x[2024]");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, kValueHeader);
}

TEST_F(RetractionTest, ALaterReportAfterARetractionGivesAFigureAgain) {
  ASSERT_EQ(FailureOf(d_.Query("record x[2024] = 25 from B on 2025-04-01")), "");
  EXPECT_EQ(Row(d_), "x,2024,25,25,25,false,B,2025-04-01\n");
}

TEST_F(RetractionTest, ReRunningARetractionWritesNothing) {
  const std::string before = d_.Fingerprint();
  const Outcome o = d_.Query("retract x[2024] from B on 2025-03-01");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err, "");
  EXPECT_EQ(d_.Fingerprint(), before);
}

TEST_F(RetractionTest, ARetractionWithADifferentNoteIsACorrection) {
  ASSERT_EQ(FailureOf(d_.Query("retract x[2024] from B on 2025-03-01 note \"wrong court\"")), "");
  const Outcome o = d_.Query("revisions(x[2024]) from B");
  EXPECT_EQ(CsvColumn(o.out, "status"), (Strings{"superseded", "corrected", "retracted"}));
  EXPECT_EQ(CsvColumn(o.out, "note"), (Strings{"", "", "wrong court"}));
}

TEST_F(RetractionTest, ARecordWithTheRetractionsIdentityIsACorrectionOfIt) {
  ASSERT_EQ(FailureOf(d_.Query("record x[2024] = 21 from B on 2025-03-01")), "");
  EXPECT_EQ(Row(d_), "x,2024,21,21,21,false,B,2025-03-01\n");
  const Outcome o = d_.Query("revisions(x[2024]) from B");
  EXPECT_EQ(CsvColumn(o.out, "status"), (Strings{"superseded", "corrected", "current"}));
}

TEST_F(RetractionTest, AReportDatedBeforeTheRetractionDoesNotReviveEvenIfRecordedLater) {
  ASSERT_EQ(FailureOf(d_.Query("record x[2024] = 22 from B on 2025-02-15")), "");
  EXPECT_EQ(Row(d_), "x,2024,10,10,10,false,A,2025-01-01\n");
  EXPECT_EQ(Row(d_, " as of 2025-02-20"), "x,2024,22,22,22,false,B,2025-02-15\n");
}

class IdempotenceTest : public testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(FailureOf(d_.Query("define charge x; define source A;"
                                 "record x[2024] >= 28 from A on 2025-01-01 url \"https://a.example/1\";")),
              "");
    before_ = d_.Fingerprint();
  }
  Docket d_;
  std::string before_;
};

TEST_F(IdempotenceTest, RecordingTheSameFigureAgainWritesNothing) {
  const Outcome o = d_.Query("record x[2024] >= 28 from A on 2025-01-01 url \"https://a.example/1\"");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err, "");
  EXPECT_EQ(d_.Fingerprint(), before_);
}

TEST_F(IdempotenceTest, BoundWithOrWithoutASpaceIsTheSameFigure) {
  ASSERT_EQ(FailureOf(d_.Query("record x[2024] >=28 from A on 2025-01-01 url \"https://a.example/1\" note \"\"")),
            "");
  EXPECT_EQ(d_.Fingerprint(), before_);
}

TEST_F(IdempotenceTest, ADifferentNoteIsACorrection) {
  ASSERT_EQ(FailureOf(d_.Query("record x[2024] >= 28 from A on 2025-01-01 url \"https://a.example/1\" note \"n\"")),
            "");
  EXPECT_NE(d_.Fingerprint(), before_);
  EXPECT_EQ(CsvColumn(d_.Query("revisions(x[2024])").out, "status"), (Strings{"corrected", "current"}));
}

TEST_F(IdempotenceTest, AnOmittedUrlIsTheEmptyStringSoDiffers) {
  ASSERT_EQ(FailureOf(d_.Query("record x[2024] >= 28 from A on 2025-01-01")), "");
  EXPECT_EQ(CsvColumn(d_.Query("revisions(x[2024])").out, "url"), (Strings{"https://a.example/1", ""}));
}

TEST_F(IdempotenceTest, ADifferentBoundIsACorrection) {
  ASSERT_EQ(FailureOf(d_.Query("record x[2024] = 28 from A on 2025-01-01 url \"https://a.example/1\"")), "");
  EXPECT_EQ(CsvColumn(d_.Query("revisions(x[2024])").out, "value"), (Strings{">=28", "28"}));
}

TEST_F(IdempotenceTest, CorrectionsBackToAnOlderFigureGiveThreeVersions) {
  ASSERT_EQ(FailureOf(d_.Query("record x[2024] >= 30 from A on 2025-01-01 url \"https://a.example/1\"")), "");
  ASSERT_EQ(FailureOf(d_.Query("record x[2024] >= 28 from A on 2025-01-01 url \"https://a.example/1\"")), "");
  const Outcome o = d_.Query("revisions(x[2024])");
  EXPECT_EQ(CsvColumn(o.out, "value"), (Strings{">=28", ">=30", ">=28"}));
  EXPECT_EQ(CsvColumn(o.out, "status"), (Strings{"corrected", "corrected", "current"}));
  EXPECT_EQ(CsvColumn(o.out, "recorded"), (Strings{"2025-11-01T00:00:00.000000Z", "2025-11-01T00:00:00.000001Z",
                                                   "2025-11-01T00:00:00.000002Z"}));
}

// The `recorded` column of revisions(x[2024]).
Strings Recorded(const Docket& d) { return CsvColumn(d.Query("revisions(x[2024])").out, "recorded"); }

TEST(RecordedStampTest, AFirstVersionIsStampedNow) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query("define charge x; define source A; record x[2024] = 1 from A on 2025")), "");
  EXPECT_EQ(Recorded(d), Strings{"2025-11-01T00:00:00.000000Z"});
}

TEST(RecordedStampTest, WithAFixedClockEachVersionIsOneMicrosecondLater) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query("define charge x; define source A; record x[2024] = 1 from A on 2025")), "");
  ASSERT_EQ(FailureOf(d.Query("record x[2024] = 2 from A on 2025")), "");
  ASSERT_EQ(FailureOf(d.Query("record x[2024] = 3 from A on 2025; record x[2024] = 4 from A on 2025")), "");
  EXPECT_EQ(Recorded(d), (Strings{"2025-11-01T00:00:00.000000Z", "2025-11-01T00:00:00.000001Z",
                                  "2025-11-01T00:00:00.000002Z", "2025-11-01T00:00:00.000003Z"}));
}

TEST(RecordedStampTest, AClockSteppingBackStillStampsLater) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query("define charge x; define source A; record x[2024] = 1 from A on 2025")), "");
  d.env()["DOCKET_NOW"] = "2025-10-01T00:00:00Z";
  ASSERT_EQ(FailureOf(d.Query("record x[2024] = 2 from A on 2025")), "");
  EXPECT_EQ(Recorded(d), (Strings{"2025-11-01T00:00:00.000000Z", "2025-11-01T00:00:00.000001Z"}));
}

TEST(RecordedStampTest, ALaterClockStampsNowWithMicroseconds) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query("define charge x; define source A; record x[2024] = 1 from A on 2025")), "");
  d.env()["DOCKET_NOW"] = "2025-11-02T10:20:30.5+01:00";
  ASSERT_EQ(FailureOf(d.Query("record x[2024] = 2 from A on 2025")), "");
  EXPECT_EQ(Recorded(d), (Strings{"2025-11-01T00:00:00.000000Z", "2025-11-02T09:20:30.500000Z"}));
}

TEST(RecordedStampTest, AnUnchangedRecordTakesNoStamp) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query("define charge x; define source A; record x[2024] = 1 from A on 2025")), "");
  ASSERT_EQ(FailureOf(d.Query("record x[2024] = 1 from A on 2025")), "");
  ASSERT_EQ(FailureOf(d.Query("record x[2024] = 2 from A on 2025")), "");
  EXPECT_EQ(Recorded(d), (Strings{"2025-11-01T00:00:00.000000Z", "2025-11-01T00:00:00.000001Z"}));
}

}  // namespace
}  // namespace docket::e2e
