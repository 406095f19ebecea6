// The external sort (storage/external_sort.h): records that overflow the
// memory budget spill to sorted runs and come back merged, in key order,
// complete and with their payloads intact.

#include "storage/external_sort.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "tests/temp_dir.h"

namespace docket {
namespace {

namespace fs = std::filesystem;

size_t RunFiles(const fs::path& dir) {
  size_t n = 0;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".run") ++n;
  return n;
}

std::string RandomKey(std::mt19937_64& rng, size_t size) {
  std::string k(size, '\0');
  // Share the first 8 bytes often, so that the full comparison matters.
  const bool shared_prefix = rng() % 2 == 0;
  for (size_t i = 0; i < size; ++i)
    k[i] = static_cast<char>(shared_prefix && i < 8 ? (i == 0 ? 0x80 : 0) : static_cast<int>(rng() & 0xff));
  return k;
}

std::string RandomPayload(std::mt19937_64& rng) {
  std::string p(rng() % 40, '\0');
  for (auto& c : p) c = static_cast<char>(rng());
  return p;
}

// Feeds `records` and checks that every one comes back once, in key order.
void ExpectSorted(ExternalSorter& sorter, const std::map<std::string, std::string>& records) {
  ASSERT_TRUE(sorter.Finish().ok());
  auto it = records.begin();
  std::string_view key, payload;
  size_t n = 0;
  while (sorter.Next(&key, &payload)) {
    ASSERT_NE(it, records.end()) << "more records than were added";
    ASSERT_EQ(std::string(key), it->first) << "record " << n;
    ASSERT_EQ(std::string(payload), it->second) << "record " << n;
    ++it;
    ++n;
  }
  EXPECT_TRUE(sorter.status().ok()) << sorter.status().message();
  EXPECT_EQ(n, records.size());
  EXPECT_EQ(sorter.size(), records.size());
}

TEST(ExternalSortTest, TinyBudgetSpillsSeveralRunsAndMergesThemInOrder) {
  TempDir dir;
  std::mt19937_64 rng(42);
  constexpr size_t kKeySize = 12;
  std::map<std::string, std::string> records;
  while (records.size() < 3000) records.emplace(RandomKey(rng, kKeySize), RandomPayload(rng));
  // Add in a random order, not the map's.
  std::vector<std::pair<std::string, std::string>> shuffled(records.begin(), records.end());
  std::shuffle(shuffled.begin(), shuffled.end(), rng);
  {
    ExternalSorter sorter(dir.path(), "t", kKeySize, 4096);
    for (const auto& [k, p] : shuffled) ASSERT_TRUE(sorter.Add(k, p).ok());
    EXPECT_GE(RunFiles(dir.path()), 2u) << "the budget should have forced spilled runs";
    ExpectSorted(sorter, records);
  }
  EXPECT_EQ(RunFiles(dir.path()), 0u) << "run files are removed with the sorter";
}

TEST(ExternalSortTest, LargeBudgetSortsInMemory) {
  TempDir dir;
  std::mt19937_64 rng(43);
  std::map<std::string, std::string> records;
  while (records.size() < 1000) records.emplace(RandomKey(rng, 22), RandomPayload(rng));
  ExternalSorter sorter(dir.path(), "t", 22, 64 << 20);
  for (const auto& [k, p] : records) ASSERT_TRUE(sorter.Add(k, p).ok());
  EXPECT_EQ(RunFiles(dir.path()), 0u);
  ExpectSorted(sorter, records);
}

// A chunk of 65,536 records or more is sorted in two halves at once, then
// merged: in memory, and in each spilled run.
TEST(ExternalSortTest, LargeChunksAreSortedInHalvesAndMerged) {
  std::mt19937_64 rng(45);
  std::map<std::string, std::string> records;
  while (records.size() < 200000) records.emplace(RandomKey(rng, 12), RandomPayload(rng));
  std::vector<std::pair<std::string, std::string>> shuffled(records.begin(), records.end());
  std::shuffle(shuffled.begin(), shuffled.end(), rng);
  for (const size_t budget : {size_t{64} << 20, size_t{4} << 20}) {
    SCOPED_TRACE(budget);
    TempDir dir;
    ExternalSorter sorter(dir.path(), "halves", 12, budget);
    for (const auto& [k, p] : shuffled) ASSERT_TRUE(sorter.Add(k, p).ok());
    // 64 MiB: one chunk of 200,000. 4 MiB: a record takes about 48 bytes
    // (key 12, payload 19.5 on average, its length, a 16-byte entry), so
    // about 86,000 a run: two runs spilled by now, the rest at Finish.
    EXPECT_EQ(RunFiles(dir.path()), budget == size_t{64} << 20 ? 0u : 2u);
    ExpectSorted(sorter, records);
  }
}

TEST(ExternalSortTest, PayloadsLargerThanTheIoBufferSurviveASpill) {
  TempDir dir;
  std::mt19937_64 rng(44);
  std::map<std::string, std::string> records;
  for (int i = 0; i < 50; ++i) records.emplace(RandomKey(rng, 8), RandomPayload(rng));
  std::string big(3 << 20, '\0');
  for (auto& c : big) c = static_cast<char>(rng());
  records.emplace(std::string(8, '\x40'), big);
  records.emplace(std::string(8, '\x41'), std::string());  // empty payload
  ExternalSorter sorter(dir.path(), "big", 8, 1024);
  for (const auto& [k, p] : records) ASSERT_TRUE(sorter.Add(k, p).ok());
  EXPECT_GE(RunFiles(dir.path()), 2u);
  ExpectSorted(sorter, records);
}

TEST(ExternalSortTest, KeysShorterThanEightBytesSortToo) {
  TempDir dir;
  std::mt19937_64 rng(45);
  std::map<std::string, std::string> records;
  while (records.size() < 200) records.emplace(RandomKey(rng, 3), RandomPayload(rng));
  ExternalSorter sorter(dir.path(), "short", 3, 256);
  for (const auto& [k, p] : records) ASSERT_TRUE(sorter.Add(k, p).ok());
  ExpectSorted(sorter, records);
}

TEST(ExternalSortTest, EmptySorterYieldsNothing) {
  TempDir dir;
  ExternalSorter sorter(dir.path(), "empty", 8, 1024);
  ASSERT_TRUE(sorter.Finish().ok());
  std::string_view k, p;
  EXPECT_FALSE(sorter.Next(&k, &p));
  EXPECT_EQ(sorter.size(), 0u);
}

TEST(RunFileTest, WriterAndReaderRoundTrip) {
  TempDir dir;
  const std::string path = dir.path() + "/a.run";
  auto w = RunWriter::Create(path, 4);
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->Add("aaaa", "").ok());
  ASSERT_TRUE((*w)->Add("bbbb", "payload").ok());
  ASSERT_TRUE((*w)->Add("cccc", std::string(300, 'x')).ok());
  ASSERT_TRUE((*w)->Close().ok());
  auto r = RunReader::Open(path, 4);
  ASSERT_TRUE(r.ok());
  std::string_view k, p;
  ASSERT_TRUE((*r)->Next(&k, &p));
  EXPECT_EQ(k, "aaaa");
  EXPECT_EQ(p, "");
  ASSERT_TRUE((*r)->Next(&k, &p));
  EXPECT_EQ(k, "bbbb");
  EXPECT_EQ(p, "payload");
  ASSERT_TRUE((*r)->Next(&k, &p));
  EXPECT_EQ(k, "cccc");
  EXPECT_EQ(p, std::string(300, 'x'));
  EXPECT_FALSE((*r)->Next(&k, &p));
  EXPECT_TRUE((*r)->status().ok());
}

TEST(RunFileTest, TruncatedRunFileIsAnErrorNotAShortRead) {
  TempDir dir;
  const std::string path = dir.path() + "/a.run";
  {
    auto w = RunWriter::Create(path, 4);
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE((*w)->Add("aaaa", "first").ok());
    ASSERT_TRUE((*w)->Add("bbbb", "second payload").ok());
    ASSERT_TRUE((*w)->Close().ok());
  }
  // key 4 + length 1 + "first" 5 = 10 bytes; the second record is cut short.
  fs::resize_file(path, 10 + 7);
  auto r = RunReader::Open(path, 4);
  ASSERT_TRUE(r.ok());
  std::string_view k, p;
  ASSERT_TRUE((*r)->Next(&k, &p));
  EXPECT_EQ(p, "first");
  EXPECT_FALSE((*r)->Next(&k, &p));
  EXPECT_FALSE((*r)->status().ok());
}

TEST(RunFileTest, OpeningAMissingRunFileFails) {
  TempDir dir;
  EXPECT_FALSE(RunReader::Open(dir.path() + "/missing.run", 4).ok());
}

}  // namespace
}  // namespace docket
