// Statement parser and name checker: ParsePiece, then Check against an
// archive that defines a few charges and sources (so that known and
// misspelt names both reach the checker). Neither may crash, leak or hang
// on any input; an error must be a Status.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "query/ast.h"
#include "query/query.h"
#include "storage/archive.h"
#include "tests/temp_dir.h"

namespace {

using namespace docket;

const int32_t kToday = DaysFromCivil(2025, 11, 1);

void Must(const Status& s) {
  if (!s.ok()) std::abort();
}

// The catalog of examples/demo/archive.dk, in a temporary archive that lives
// as long as the process.
std::unique_ptr<Archive> DemoArchive() {
  static TempDir dir;
  const std::string path = dir.File("archive");
  {
    auto w = Archive::Open(path, OpenOptions{OpenOptions::Mode::kWrite});
    if (!w.ok()) std::abort();
    for (const char* charge : {"treason", "espionage", "confidential_cooperation", "state_secrets"})
      Must((*w)->DefineCharge({charge, "title", std::nullopt}));
    for (const char* source : {"IStories", "RTVI", "PervyiOtdel", "TASS"})
      Must((*w)->DefineSource({source, std::nullopt, std::nullopt, int64_t{10}}));
    const SeriesKey treason{"treason", {{"citizenship", "UA"}}};
    auto r = (*w)->Record({treason, Period(2024, Grain::kYear, 1), "IStories",
                           *Date::Parse("2025-04"), Figure{Bound::kExact, 145}, "", "",
                           *ParseTimestamp("2025-04-17T00:00Z")});
    if (!r.ok()) std::abort();
    Must((*w)->Commit());
  }
  auto r = Archive::Open(path, OpenOptions{OpenOptions::Mode::kRead});
  if (!r.ok()) std::abort();
  return std::move(*r);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::unique_ptr<Archive> archive = DemoArchive();
  ast::Script script;
  const Status parsed = ParsePiece("fuzz", std::string(reinterpret_cast<const char*>(data), size),
                                   ParseOptions{kToday}, &script);
  if (parsed.ok()) (void)CheckNames(script, archive.get());
  return 0;
}
