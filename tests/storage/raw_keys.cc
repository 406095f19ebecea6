// The keys of an archive, read and written with RocksDB itself, for the
// end-to-end tests (which may not use RocksDB: scripts/check-layering).
//
//   raw_keys dump ARCHIVE            every key and value, a line each, in hex
//   raw_keys put ARCHIVE KEY VALUE   writes one key (hex) and flushes it to a
//                                    table file, as an older or damaged
//                                    docket might have left it
#include <rocksdb/db.h>

#include <cstdio>
#include <memory>
#include <optional>
#include <string>

namespace {

std::optional<std::string> FromHex(const std::string& hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  std::string out;
  for (size_t i = 0; i < hex.size(); i += 2) {
    unsigned byte = 0;
    if (std::sscanf(hex.c_str() + i, "%2x", &byte) != 1) return std::nullopt;
    out.push_back(static_cast<char>(byte));
  }
  return out;
}

std::string ToHex(const rocksdb::Slice& bytes) {
  std::string out;
  char buf[3];
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::snprintf(buf, sizeof buf, "%02x", static_cast<unsigned char>(bytes[i]));
    out += buf;
  }
  return out;
}

rocksdb::Status Dump(const char* path) {
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::OpenForReadOnly(rocksdb::Options(), path, &raw);
  if (!s.ok()) return s;
  std::unique_ptr<rocksdb::DB> db(raw);
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions()));
  for (it->SeekToFirst(); it->Valid(); it->Next())
    std::printf("%s %s\n", ToHex(it->key()).c_str(), ToHex(it->value()).c_str());
  return it->status();
}

rocksdb::Status Put(const char* path, const std::string& key, const std::string& value) {
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(rocksdb::Options(), path, &raw);
  if (!s.ok()) return s;
  std::unique_ptr<rocksdb::DB> db(raw);
  s = db->Put(rocksdb::WriteOptions(), key, value);
  return s.ok() ? db->Flush(rocksdb::FlushOptions()) : s;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string command = argc > 1 ? argv[1] : "";
  rocksdb::Status s;
  if (command == "dump" && argc == 3) {
    s = Dump(argv[2]);
  } else if (command == "put" && argc == 5 && FromHex(argv[3]) && FromHex(argv[4])) {
    s = Put(argv[2], *FromHex(argv[3]), *FromHex(argv[4]));
  } else {
    std::fprintf(stderr, "usage: raw_keys dump ARCHIVE | raw_keys put ARCHIVE KEY VALUE (hex)\n");
    return 64;
  }
  if (!s.ok()) {
    std::fprintf(stderr, "raw_keys: %s\n", s.ToString().c_str());
    return 1;
  }
  return 0;
}
