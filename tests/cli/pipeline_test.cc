// The statement pipeline on a real archive in a temporary directory,
// without a terminal: what it commits, what it refuses, the errors it
// hands back, and which views it opens.
#include "cli/pipeline.h"
#include "cli/plugin_output.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli/diagnostics.h"
#include "tests/temp_dir.h"

namespace docket::cli {
namespace {

// Keeps what a run produces; Flush fails when told to.
class CollectingSink : public Sink {
 public:
  void Begin(const std::vector<std::string>& columns) override { results.push_back({columns, {}}); }
  Status Row(const std::vector<Cell>& cells) override {
    results.back().rows.push_back(cells);
    return {};
  }
  void End() override {}
  void Plot(const Table& rows) override { results.push_back(rows); }
  // An assert that did not hold becomes its message, as on a console.
  void Check(std::string_view where, const CheckResult& result) override {
    checks.push_back(result);
    if (result.kind == CheckResult::Kind::kAssert)
      if (auto message = AssertMessage(result)) Message(where, *message);
  }
  void Message(std::string_view where, std::string_view message) override {
    messages.push_back(std::string(where) + ": " + std::string(message));
  }
  Status Flush() override { return flush; }

  std::vector<Table> results;
  std::vector<CheckResult> checks;
  std::vector<std::string> messages;
  Status flush;
};

// 2025-03-01T00:00:00Z, in microseconds since the epoch.
// The error as the user would read it; empty for none.
std::string Text(const std::optional<Diagnostic>& error) {
  return error ? FormatDiagnostic(*error) : "";
}

constexpr Micros kNow = 20148LL * kMicrosPerDay;

class PipelineTest : public ::testing::Test {
 protected:
  PipelineOptions Options() const {
    PipelineOptions options;
    options.db = dir_.File("archive");
    options.wait_seconds = 0;
    options.now = kNow;
    return options;
  }

  // Parses `text` as `-e`, checks it and runs it as one range.
  std::optional<Diagnostic> RunWhole(const PipelineOptions& options, const std::string& text,
                                     Sink& sink) {
    Pipeline pipeline(options);
    if (auto error = pipeline.Parse("-e", text)) return error;
    if (auto error = pipeline.Check()) return error;
    return pipeline.Run(0, pipeline.size(), sink).error;
  }

  void Define() {
    CollectingSink sink;
    ASSERT_EQ(Text(RunWhole(Options(), "define charge treason; define source S;", sink)), "");
  }

  uint64_t Reports() {
    auto archive = Archive::Open(Options().db, OpenOptions{});
    EXPECT_TRUE(archive.ok());
    if (!archive.ok()) return 0;
    auto size = (*archive)->GetSize();
    EXPECT_TRUE(size.ok());
    return size.ok() ? size->reports : 0;
  }

  TempDir dir_;
};

TEST_F(PipelineTest, ARunErrorCommitsNothingOfItsRange) {
  Define();
  CollectingSink sink;
  const auto error = RunWhole(
      Options(), "record treason[2024] = 5 from S on 2025-01; retract treason[2023] from S on 2025-02;",
      sink);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->kind, ErrorKind::kInput);
  EXPECT_EQ(error->exit_code(), 65);
  EXPECT_EQ(error->where, "-e");
  EXPECT_EQ(error->line, 1u);
  EXPECT_EQ(error->column, 45u);  // the `r` of `retract`
  EXPECT_EQ(Reports(), 0u);
}

TEST_F(PipelineTest, LostOutputFailsWithIoBeforeTheCommit) {
  Define();
  CollectingSink sink;
  sink.flush = Status::Io("cannot write to the test's sink");
  const auto error = RunWhole(Options(), "record treason[2024] = 5 from S on 2025-01;", sink);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->message, "cannot write to the test's sink");
  EXPECT_EQ(error->where, "");
  EXPECT_EQ(error->exit_code(), 74);
  EXPECT_EQ(Reports(), 0u);
}

TEST_F(PipelineTest, ReadOnlyRefusesAWriteBeforeOpeningTheArchive) {
  PipelineOptions options = Options();
  options.read_only = true;
  CollectingSink sink;
  const auto error = RunWhole(options, "treason;\ndefine charge treason;", sink);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->message, "--read-only: define, record and retract are refused");
  EXPECT_EQ(error->exit_code(), 65);
  EXPECT_EQ(error->line, 2u);
  EXPECT_EQ(error->column, 1u);
  EXPECT_EQ(error->line_text, "define charge treason;");
  // Not "archive not found": the refusal comes first, and creates nothing.
  EXPECT_FALSE(Archive::Open(options.db, OpenOptions{}).ok());
}

TEST_F(PipelineTest, AnUnknownNameComesBackWithItsLineAndColumn) {
  Define();
  CollectingSink sink;
  const auto error = RunWhole(Options(), "treason[2024];\n  tresaon[2023];", sink);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->message, "unknown charge `tresaon`; did you mean `treason`?");
  EXPECT_EQ(error->exit_code(), 65);
  EXPECT_EQ(error->line, 2u);
  EXPECT_EQ(error->column, 3u);
  EXPECT_EQ(error->line_text, "  tresaon[2023];");
  EXPECT_TRUE(sink.results.empty());
}

TEST_F(PipelineTest, AReportedDateAfterTheFixedNowIsRefusedWhenParsing) {
  Define();
  CollectingSink sink;
  const auto error = RunWhole(Options(), "record treason[2024] = 5 from S on 2025-03-02;", sink);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->message, "reported date 2025-03-02 is in the future (today is 2025-03-01)");
  EXPECT_EQ(Reports(), 0u);
}

TEST_F(PipelineTest, TheFirstReadUsesTheCheckedViewAndLaterReadsSeeNewWrites) {
  Define();
  int opens = 0;
  PipelineOptions options = Options();
  options.open_view = [&]() -> Result<std::shared_ptr<Archive>> {
    ++opens;
    auto opened = Archive::Open(options.db, OpenOptions{});
    if (!opened.ok()) return opened.status();
    return std::shared_ptr<Archive>(std::move(*opened));
  };
  Pipeline pipeline(options);
  ASSERT_EQ(Text(pipeline.Parse("<stdin>",
                                "count(treason); record treason[2024] = 7 from S on 2025-01; "
                                "count(treason);")),
            "");
  ASSERT_EQ(Text(pipeline.Check()), "");
  EXPECT_EQ(opens, 1);
  CollectingSink sink;
  for (size_t i = 0; i < 3; ++i) ASSERT_EQ(Text(pipeline.Run(i, i + 1, sink).error), "") << i;
  // Check's view served the first count; the write took the lock; the
  // second count opened a view of its own, which holds the new report.
  EXPECT_EQ(opens, 2);
  ASSERT_EQ(sink.results.size(), 2u);
  EXPECT_TRUE(sink.results[0].rows.empty());
  ASSERT_EQ(sink.results[1].rows.size(), 1u);
  EXPECT_EQ(Reports(), 1u);
}

TEST_F(PipelineTest, AWritingRangeReleasesTheLockWhenItEnds) {
  Define();
  Pipeline pipeline(Options());
  ASSERT_EQ(Text(pipeline.Parse("-e", "record treason[2024] = 5 from S on 2025-01; treason;")), "");
  ASSERT_EQ(Text(pipeline.Check()), "");
  CollectingSink sink;
  ASSERT_EQ(Text(pipeline.Run(0, 1, sink).error), "");
  // The pipeline lives on, yet another writer gets the lock at once.
  auto other = Archive::Open(Options().db, OpenOptions{OpenOptions::Mode::kWrite, 0});
  EXPECT_TRUE(other.ok()) << (other.ok() ? "" : other.status().message());
}

TEST_F(PipelineTest, AWriteCreatesAMissingArchiveAndAReadDoesNot) {
  CollectingSink sink;
  const auto error = RunWhole(Options(), "treason;", sink);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->kind, ErrorKind::kNotFound);
  EXPECT_EQ(error->exit_code(), 66);
  EXPECT_EQ(error->where, "-e");
  EXPECT_FALSE(Archive::Open(Options().db, OpenOptions{}).ok());
  Define();
  EXPECT_EQ(Reports(), 0u);
}

TEST_F(PipelineTest, TheOutcomeIsTheWorstCheckState) {
  Define();
  CollectingSink sink;
  Pipeline pipeline(Options());
  ASSERT_EQ(Text(pipeline.Parse("-e", "record treason[2024] = 5 from S on 2025-01;\n"
                                      "assert treason[2024] > 10;")),
            "");
  ASSERT_EQ(Text(pipeline.Check()), "");
  const Ran ran = pipeline.Run(0, pipeline.size(), sink);
  EXPECT_EQ(Text(ran.error), "");
  EXPECT_EQ(sink.messages, std::vector<std::string>{"-e: assertion failed: treason[2024] > 10 (got 5)"});
  EXPECT_EQ(ran.state, CheckState::kCritical);
  EXPECT_EQ(ran.exit_code(), 2);
  EXPECT_EQ(Reports(), 1u);
}

}  // namespace
}  // namespace docket::cli
