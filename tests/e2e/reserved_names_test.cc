// End-to-end: the reserved words of spec v1.1 §7 in an archive made before
// them. Such an archive opens with a warning naming each one; new
// statements and restores cannot use them.
#include <gtest/gtest.h>

#include "storage/archive.h"
#include "tests/e2e/harness.h"

namespace docket::e2e {
namespace {

// An archive written before v1.1 reserved `first` and `lag`: storage takes
// any well-shaped name, as the older docket did.
void DefineLegacyNames(const std::string& db) {
  auto archive = Archive::Open(db, OpenOptions{OpenOptions::Mode::kWrite, 0});
  ASSERT_TRUE(archive.ok()) << archive.status().message();
  ASSERT_TRUE((*archive)->DefineCharge({"first", "First instance", std::nullopt}).ok());
  ASSERT_TRUE((*archive)->DefineCharge({"treason", std::nullopt, std::nullopt}).ok());
  ASSERT_TRUE((*archive)->DefineSource({"lag", std::nullopt, std::nullopt, std::nullopt}).ok());
  ASSERT_TRUE((*archive)->Commit().ok());
}

TEST(ReservedNamesTest, AnArchiveWithANewlyReservedNameOpensWithAWarningNamingIt) {
  Docket d;
  DefineLegacyNames(d.db());
  const Outcome o = d.Query("show charges");
  EXPECT_EQ(o.exit_code, 0) << Describe(o);
  EXPECT_EQ(o.out, "charge,title,article\nfirst,First instance,\ntreason,,\n");
  EXPECT_EQ(o.err,
            "docket: " + d.db() + ": warning: charge `first` is a reserved word since v1.1; "
            "statements cannot name it\n"
            "docket: " + d.db() + ": warning: source `lag` is a reserved word since v1.1; "
            "statements cannot name it\n");
}

TEST(ReservedNamesTest, AnArchiveWithoutReservedNamesOpensWithoutAWarning) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query("define charge treason; define source Lag")), "");
  const Outcome o = d.Query("show sources");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.err, "");
}

TEST(ReservedNamesTest, TheEightNewKeywordsCannotNameAChargeOrASource) {
  Docket d;
  for (const char* word :
       {"consensus", "diff", "first", "history", "lag", "latest", "resolve", "vintages"}) {
    for (const std::string_view what : {"charge", "source"}) {
      const Outcome o = d.Query(std::string("define ") + std::string(what) + " " + word);
      EXPECT_EQ(o.exit_code, 65) << word;
      const std::string expected_start = "docket: -e:1:" + std::to_string(9 + what.size()) + ": expected a ";
      EXPECT_EQ(o.err.rfind(expected_start, 0), 0u) << o.err;
      EXPECT_EQ(d.Fingerprint(), "<missing>") << word;
    }
  }
}

TEST(ReservedNamesTest, RestoreRefusesAReservedName) {
  Docket d;
  const std::string backup = d.WriteFile(
      "backup.jsonl",
      "{\"type\":\"docket-backup\",\"format\":1}\n{\"type\":\"charge\",\"name\":\"vintages\",\"title\":\"\",\"article\":\"\"}\n");
  const Outcome o = d.Run({"import", backup});
  EXPECT_EQ(o.exit_code, 65) << Describe(o);
  EXPECT_NE(o.err.find("invalid charge name `vintages`"), std::string::npos) << o.err;
  EXPECT_EQ(d.Fingerprint(), "<missing>");
}

}  // namespace
}  // namespace docket::e2e
