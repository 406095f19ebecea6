#include "cli/maintenance.h"

#include <cstdio>
#include <filesystem>

#include <fmt/format.h>

#include "cli/diagnostics.h"
#include "storage/verify.h"

namespace docket::cli {
namespace {

constexpr size_t kProblemsShown = 20;

// Verifies, prints the outcome; `after_repair` words the failure for repair.
int VerifyAndReport(const Options& options, bool after_repair) {
  auto report = VerifyArchive(options.db, kProblemsShown);
  if (!report.ok()) {
    PrintError(nullptr, report.status(), options.db);
    return ExitCode(report.status().kind());
  }
  if (report->ok()) {
    std::fputs(fmt::format("{}: ok, {} series, {} reports, {} versions\n", options.db,
                           report->series, report->reports, report->versions)
                   .c_str(),
               stdout);
    return std::fflush(stdout) == 0 ? 0 : ExitCode(ErrorKind::kIo);
  }
  for (const std::string& problem : report->problems)
    std::fputs(fmt::format("docket: {}: {}\n", options.db, problem).c_str(), stderr);
  if (report->problem_count > report->problems.size())
    std::fputs(fmt::format("docket: {}: {} more problems not shown ({} in all)\n", options.db,
                           report->problem_count - report->problems.size(), report->problem_count)
                   .c_str(),
               stderr);
  std::fputs(fmt::format("docket: {}: {}\n", options.db,
                         after_repair ? "the repaired archive still fails verification"
                                      : "the archive fails verification")
                 .c_str(),
             stderr);
  return ExitCode(ErrorKind::kIo);
}

// `ARCHIVE.damaged-20251101T000000Z`, or with `-2`, `-3`… when taken.
std::string DamagedCopyPath(const Options& options) {
  std::string stamp = FormatTimestamp(options.now).substr(0, 19);  // YYYY-MM-DDThh:mm:ss
  std::erase(stamp, '-');
  std::erase(stamp, ':');
  std::string db = options.db;
  while (db.size() > 1 && db.back() == '/') db.pop_back();
  const std::string base = fmt::format("{}.damaged-{}Z", db, stamp);
  std::string path = base;
  std::error_code ec;
  for (int n = 2; std::filesystem::exists(path, ec); ++n) path = fmt::format("{}-{}", base, n);
  return path;
}

}  // namespace

int RunVerify(const Options& options) { return VerifyAndReport(options, /*after_repair=*/false); }

int RunRepair(const Options& options) {
  const std::string copy = DamagedCopyPath(options);
  const Status s = RepairArchive(options.db, copy);
  std::error_code ec;
  if (std::filesystem::exists(copy, ec))
    std::fputs(fmt::format("docket: {}: the archive as it was is kept in {}\n", options.db, copy).c_str(),
               stderr);
  if (!s.ok()) {
    PrintError(nullptr, s, options.db);
    return ExitCode(s.kind());
  }
  return VerifyAndReport(options, /*after_repair=*/true);
}

int RunCheckpoint(const Options& options) {
  const Status s = CheckpointArchive(options.db, options.checkpoint_dir);
  if (s.ok()) return 0;
  PrintError(nullptr, s, options.db);
  return ExitCode(s.kind());
}

}  // namespace docket::cli
