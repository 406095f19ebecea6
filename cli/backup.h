// The JSONL backup (spec §5 "Export and restore"; the format is described
// in docs/monitoring.md "Backups"): a header line, the definitions, every
// version in recorded order, and a trailer line with the number of
// definitions and versions and the SHA-256 of every byte before it.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "cli/error_list.h"
#include "cli/sha256.h"
#include "storage/archive.h"
#include "storage/bulk_load.h"

namespace docket::cli {

// Writes a backup line by line through `put`: the header at once, then
// the lines given, then the trailer at Finish.
class BackupWriter {
 public:
  explicit BackupWriter(std::function<void(std::string_view)> put);
  void Add(const Charge& charge);
  void Add(const Source& source);
  void Add(const Version& version, const SeriesKey& series, std::string_view source);
  void Finish();

 private:
  void Line(const std::string& text);
  std::function<void(std::string_view)> put_;
  Sha256 hash_;
  uint64_t definitions_ = 0, versions_ = 0;
};

// Reads the backup `file` (input file number `index`, called `name` in its
// errors): its definitions go
// to `archive` (buffered, written by the loader's commit) and its versions
// to `loader`. Every line is checked with the rules `record` applies
// (`today` being the day reported dates may not start after), and the
// trailer against the counts and the hash; each bad line goes to `errors`
// with its place, and then nothing may be committed. The archive must be
// empty. A failed Status only for I/O and storage errors.
Status RestoreBackup(const std::string& file, const std::string& name, uint32_t index, int32_t today, Archive& archive,
                     BulkLoader* loader, ErrorList* errors);

}  // namespace docket::cli
