#include <gtest/gtest.h>

#include "tests/e2e/harness.h"

namespace docket::e2e {

TEST(SmokeTest, RecordThenQueryPrintsTheFigure) {
  Docket d;
  ASSERT_EQ(d.Query("define charge treason; define source A; record treason[2024] = 5 from A on 2025").exit_code, 0);
  const Outcome o = d.Query("treason[2024]");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, "series,period,value,lo,hi,approx,source,reported\ntreason,2024,5,5,5,false,A,2025\n");
}

}  // namespace docket::e2e
