// The reference model on its own, against answers worked out by hand from
// the spec, so that agreeing with docket means agreeing with the spec.
#include <gtest/gtest.h>

#include "tests/model/model.h"

namespace docket::model {
namespace {

const int64_t kNow = DayNumber(2025, 11, 1) * kMicrosPerDay;
const Series kEspionage{"espionage", {}};
const Period k2024{2024, Period::Kind::kYear, 1};

Reported On(const std::string& written, int y, int m, int d) { return {written, DayNumber(y, m, d)}; }

Statement Source(const std::string& name, std::optional<int64_t> priority = {}) {
  return {Define{true, name, priority}, {}};
}
Statement Put(const std::string& source, Reported reported, std::optional<Figure> figure, std::string note = "") {
  return {{}, Record{kEspionage, k2024, source, std::move(reported), figure, std::move(note), ""}};
}

Selector Cell2024() { return {"espionage", {}, k2024, k2024}; }
Modifiers AsOf(int y, int m, int d) {
  Modifiers mods;
  mods.as_of = DayNumber(y, m, d);
  return mods;
}

constexpr char kValues[] = "series,period,value,lo,hi,approx,source,reported\n";
constexpr char kRevisions[] = "series,period,source,reported,recorded,value,lo,hi,approx,status,note,url\n";

TEST(ModelSelfTest, TheLatestReportedWinsAndAsOfGoesBack) {
  Model m;
  ASSERT_FALSE(m.Run({Source("IStories"), Source("RTVI"),
                      Put("RTVI", On("2024-12", 2024, 12, 31), Figure{Bound::kAtLeast, 28}),
                      Put("IStories", On("2025-04", 2025, 4, 30), Figure{Bound::kEqual, 23})},
                     kNow));
  EXPECT_EQ(m.Values(Cell2024(), {}), std::string(kValues) + "espionage,2024,23,23,23,false,IStories,2025-04\n");
  EXPECT_EQ(m.Values(Cell2024(), AsOf(2025, 4, 29)),
            std::string(kValues) + "espionage,2024,>=28,28,,false,RTVI,2024-12\n");
  Modifiers by_source;
  by_source.by_source = true;
  EXPECT_EQ(m.Values(Cell2024(), by_source), std::string(kValues) +
                                                 "espionage,2024,23,23,23,false,IStories,2025-04\n"
                                                 "espionage,2024,>=28,28,,false,RTVI,2024-12\n");
}

TEST(ModelSelfTest, SameDayTiesGoToPriorityThenName) {
  Model m;
  ASSERT_FALSE(m.Run({Source("B"), Source("A"), Source("C", 1), Put("B", On("2025-04-30", 2025, 4, 30), Figure{Bound::kEqual, 2}),
                      Put("A", On("2025-04", 2025, 4, 30), Figure{Bound::kAtMost, 1})},
                     kNow));
  EXPECT_EQ(m.Values(Cell2024(), {}), std::string(kValues) + "espionage,2024,<=1,0,1,false,A,2025-04\n");
  ASSERT_FALSE(m.Run({Put("C", On("2025", 2025, 12, 31), Figure{Bound::kApprox, 3})}, kNow));
  EXPECT_EQ(m.Values(Cell2024(), AsOf(2025, 4, 30)), std::string(kValues) + "espionage,2024,<=1,0,1,false,A,2025-04\n");
  ASSERT_FALSE(m.Run({Put("C", On("2025-04-30", 2025, 4, 30), Figure{Bound::kApprox, 3})}, kNow));
  EXPECT_EQ(m.Values(Cell2024(), AsOf(2025, 4, 30)), std::string(kValues) + "espionage,2024,~3,3,3,true,C,2025-04-30\n");
}

TEST(ModelSelfTest, OfOneSourcesSameDayReportsTheLaterRecordedCounts) {
  Model m;
  ASSERT_FALSE(m.Run({Source("A"), Put("A", On("2025-04-30", 2025, 4, 30), Figure{Bound::kEqual, 5}),
                      Put("A", On("2025-04", 2025, 4, 30), Figure{Bound::kEqual, 6}),
                      Put("A", On("2025-04-30", 2025, 4, 30), Figure{Bound::kEqual, 7})},
                     kNow));
  // Stamps .000000, .000001, .000002: the full date's second version is the later.
  EXPECT_EQ(m.Values(Cell2024(), {}), std::string(kValues) + "espionage,2024,7,7,7,false,A,2025-04-30\n");
  EXPECT_EQ(m.Revisions(Cell2024(), {}),
            std::string(kRevisions) +
                "espionage,2024,A,2025-04,2025-11-01T00:00:00.000001Z,6,6,6,false,superseded,,\n"
                "espionage,2024,A,2025-04-30,2025-11-01T00:00:00.000000Z,5,5,5,false,corrected,,\n"
                "espionage,2024,A,2025-04-30,2025-11-01T00:00:00.000002Z,7,7,7,false,current,,\n");
  Modifiers before;
  before.recorded_as_of = kNow + 1;
  EXPECT_EQ(m.Values(Cell2024(), before), std::string(kValues) + "espionage,2024,6,6,6,false,A,2025-04\n");
  EXPECT_EQ(m.Revisions(Cell2024(), before),
            std::string(kRevisions) +
                "espionage,2024,A,2025-04,2025-11-01T00:00:00.000001Z,6,6,6,false,current,,\n"
                "espionage,2024,A,2025-04-30,2025-11-01T00:00:00.000000Z,5,5,5,false,superseded,,\n");
}

TEST(ModelSelfTest, ARetractionWithdrawsFromItsDayOn) {
  Model m;
  ASSERT_FALSE(m.Run({Source("A"), Put("A", On("2024-12", 2024, 12, 31), Figure{Bound::kEqual, 5}),
                      Put("A", On("2025-03-01", 2025, 3, 1), std::nullopt, "withdrawn")},
                     kNow));
  EXPECT_EQ(m.Values(Cell2024(), {}), kValues);
  EXPECT_EQ(m.Values(Cell2024(), AsOf(2025, 2, 28)), std::string(kValues) + "espionage,2024,5,5,5,false,A,2024-12\n");
  EXPECT_EQ(m.Revisions(Cell2024(), AsOf(2025, 2, 28)),
            std::string(kRevisions) + "espionage,2024,A,2024-12,2025-11-01T00:00:00.000000Z,5,5,5,false,current,,\n");
  EXPECT_EQ(m.Revisions(Cell2024(), {}),
            std::string(kRevisions) +
                "espionage,2024,A,2024-12,2025-11-01T00:00:00.000000Z,5,5,5,false,superseded,,\n"
                "espionage,2024,A,2025-03-01,2025-11-01T00:00:00.000001Z,,,,false,retracted,withdrawn,\n");
}

TEST(ModelSelfTest, StampsIncreaseWhenTheClockStepsBackAndReRecordsWriteNothing) {
  Model m;
  ASSERT_FALSE(m.Run({Source("A"), Put("A", On("2024-12", 2024, 12, 31), Figure{Bound::kEqual, 5})}, kNow));
  ASSERT_FALSE(m.Run({Put("A", On("2024-12", 2024, 12, 31), Figure{Bound::kEqual, 5})}, kNow + 5));
  ASSERT_FALSE(m.Run({Put("A", On("2024-12", 2024, 12, 31), Figure{Bound::kEqual, 6})}, kNow - 1'000'000));
  ASSERT_EQ(m.versions().size(), 2u);
  EXPECT_EQ(m.versions()[1].recorded, kNow + 1);
  EXPECT_EQ(m.ChangesSince(kNow + 1),
            std::string(kRevisions) + "espionage,2024,A,2024-12,2025-11-01T00:00:00.000001Z,6,6,6,false,current,,\n");
}

TEST(ModelSelfTest, ARetractionWithNoReportDatedOnOrBeforeItIsRefusedWhole) {
  Model m;
  ASSERT_FALSE(m.Run({Source("A"), Put("A", On("2025-04", 2025, 4, 30), Figure{Bound::kEqual, 5})}, kNow));
  const auto failure = m.Run({Put("A", On("2025-05", 2025, 5, 31), Figure{Bound::kEqual, 6}),
                              Put("A", On("2025-04-29", 2025, 4, 29), std::nullopt)},
                             kNow);
  ASSERT_TRUE(failure);
  EXPECT_EQ(failure->statement, 1u);
  EXPECT_EQ(failure->message,
            "cannot retract espionage[2024] from A on 2025-04-29: the source has no report for that cell dated on or "
            "before it");
  EXPECT_EQ(m.versions().size(), 1u);
}

}  // namespace
}  // namespace docket::model
