// End-to-end: the demo facts of spec §6, on a small archive built here from
// the seed report's figures (not the shipped demo script).
#include <gtest/gtest.h>

#include <string>

#include "tests/e2e/harness.h"

namespace docket::e2e {
namespace {

constexpr char kValueHeader[] = "series,period,value,lo,hi,approx,source,reported\n";
constexpr char kGrowthHeader[] = "series,from,to,from_value,to_value,value,lo,hi,approx,source\n";

constexpr char kDemo[] =
    "define charge treason title \"High treason\" article \"275\";"
    "define charge espionage title \"Espionage\" article \"276\";"
    "define charge state_secrets title \"State secrets\" article \"283, 283.1, 284\";"
    "define source IStories title \"Important Stories\" url \"https://istories.media\";"
    "define source RTVI; define source PervyiOtdel; define source TASS;"
    "record treason[2024] = 145 from IStories on 2025-04 note \"court data analysis\";"
    "record espionage[2024] = 23 from IStories on 2025-04;"
    "record state_secrets[2024] >= 209 from IStories on 2025-04;"
    "record state_secrets[2023] ~ 157 from IStories on 2025-04 note \"derived: 209 / 1.33\";"
    "record espionage[2024] >= 28 from RTVI on 2024-12;"
    "record espionage{citizenship=\"UA\"}[2024] >= 18 from RTVI on 2024-12;"
    "record treason[2023] = 39 from PervyiOtdel on 2024;"
    "record treason[2024-H1] = 52 from TASS on 2024-10;";

class DemoTest : public testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(FailureOf(d_.Query(kDemo)), ""); }
  Docket d_;
};

TEST_F(DemoTest, TreasonGrewByAFactorOf372) {
  const Outcome o = d_.Query("growth(treason, 2023, 2024)");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, std::string(kGrowthHeader) +
                       "treason,2023,2024,39,145,3.72,3.717948717948718,3.717948717948718,false,PervyiOtdel/IStories\n");
  EXPECT_EQ(o.err, "");
}

TEST_F(DemoTest, StateSecretsGrowthCarriesTheBoundAndTheApproximation) {
  const Outcome o = d_.Query("growth(state_secrets, 2023, 2024)");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, std::string(kGrowthHeader) +
                       "state_secrets,2023,2024,~157,>=209,~>=1.33,1.3312101910828025,,true,IStories\n");
}

TEST_F(DemoTest, Espionage2024BySourceShowsBothFigures) {
  const Outcome o = d_.Query("espionage[2024] by source");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, std::string(kValueHeader) +
                       "espionage,2024,23,23,23,false,IStories,2025-04\n"
                       "espionage,2024,>=28,28,,false,RTVI,2024-12\n");
}

TEST_F(DemoTest, Espionage2024ResolvesToTheLaterCourtData) {
  const Outcome o = d_.Query("espionage[2024]");
  EXPECT_EQ(o.out, std::string(kValueHeader) + "espionage,2024,23,23,23,false,IStories,2025-04\n");
}

TEST_F(DemoTest, Espionage2024RevisionsAreBothCurrentForTheirSources) {
  const Outcome o = d_.Query("revisions(espionage[2024])");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out,
            "series,period,source,reported,recorded,value,lo,hi,approx,status,note,url\n"
            "espionage,2024,IStories,2025-04,2025-11-01T00:00:00.000001Z,23,23,23,false,current,,\n"
            "espionage,2024,RTVI,2024-12,2025-11-01T00:00:00.000004Z,>=28,28,,false,current,,\n");
}

TEST_F(DemoTest, AsOfTheEndOf2024OnlyRtviWasKnown) {
  const Outcome o = d_.Query("espionage[2024] as of 2024-12-31; espionage[2024] as of 2024-12-31 by source");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, std::string(kValueHeader) + "espionage,2024,>=28,28,,false,RTVI,2024-12\n\n" + kValueHeader +
                       "espionage,2024,>=28,28,,false,RTVI,2024-12\n");
}

TEST_F(DemoTest, HalfYearAgainstFullYear) {
  const Outcome o = d_.Query("treason[2024-H1] / treason[2024]");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, std::string(kValueHeader) +
                       "treason,2024-H1/2024,0.36,0.3586206896551724,0.3586206896551724,false,TASS/IStories,2025-04\n");
}

}  // namespace
}  // namespace docket::e2e
