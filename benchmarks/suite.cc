// docket_bench: every operation of issue 5 three ways in one run, on the
// same data: docket (public storage/query API; the real `docket` binary for
// whole-process rows), SQLite (sqlite_peer.h; the `sqlite3` shell for
// whole-process rows) and raw RocksDB (rocks_peer.h; `docket-bench-raw` for
// whole-process rows). Before timing anything it checks that the three give
// identical answers, and exits 1 if they do not.
//
//   docket_bench --reports 1M [--workdir DIR] [--seed S] [--reps N] [--quick]
//                [--fresh] [--plans] [--min-time SECONDS] [google benchmark flags]
//   docket_bench --reports 1M --alternate ROUNDS [--alternate-imports ROUNDS]
//                only the whole-process questions (and the import), the
//                three ways alternated round by round (Alternate below)
#include <benchmark/benchmark.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "benchmarks/answers.h"
#include "benchmarks/input.h"
#include "benchmarks/process.h"
#include "benchmarks/rocks_peer.h"
#include "benchmarks/sqlite_peer.h"
#include "benchmarks/workload.h"
#include "cli/csv.h"
#include "query/query.h"
#include "storage/archive.h"

namespace fs = std::filesystem;
using namespace docket::bench;

namespace {

// ---------------------------------------------------------------- configuration

struct Config {
  std::string workdir = "/tmp/docket-bench";
  std::string reports_text = "20k";
  uint64_t reports = 20000, seed = 1;
  int reps = 3;
  bool quick = false, fresh = false, plans = false;
  double min_time = 0.5;          // seconds per in-process measurement
  double oneshot_min_time = 1.0;  // seconds of whole processes per measurement
  std::string docket = DOCKET_BINARY, tool = DOCKET_BENCH_TOOL, raw = DOCKET_BENCH_RAW, sqlite3 = "/usr/bin/sqlite3";
};
Config g;
Shape g_shape;

struct Paths {
  std::string dir, csv, defs, docket, sqlite, rocks;
  std::string docket_parts;  // the same rows in kImports imports (issue 15)
} g_paths;

// The imports of the docket store that is loaded piecemeal: a monitoring
// job's periodic loads, each a slice of the rows in file order.
constexpr int kImports = 4;

const std::map<std::string, std::string> kEnv = {{"DOCKET_NOW", kNowText}, {"LC_ALL", "C.UTF-8"}};

[[noreturn]] void Die(const std::string& message) {
  std::fprintf(stderr, "docket_bench: %s\n", message.c_str());
  std::exit(1);
}

// ---------------------------------------------------------------- the questions

struct PointQuestion {
  std::string series;
  int year;
  int32_t as_of;
  std::string as_of_text;
};
std::vector<PointQuestion> g_points;
std::string g_one_series, g_rev_series;
int g_rev_year = 0, g_from = 2022, g_to = 2023;
int64_t g_since = 0;
std::string g_since_text;
// vintages(C, 2016..2025): ten year-end vintages; diff(C, as of A, as of B).
constexpr int kVintageFrom = 2016, kVintageTo = 2025;
int32_t g_diff_a = 0, g_diff_b = 0;

uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

void ChooseQuestions() {
  const size_t k = g.quick ? 16 : 64;
  for (size_t i = 0; i < k; ++i) {
    const uint64_t h = Mix(g_shape.seed * 1000003 + i);
    PointQuestion q;
    q.series = CanonicalName(SeriesOf(g_shape, h % g_shape.series));
    q.year = g_shape.first_year() + static_cast<int>((h >> 20) % g_shape.years);
    // Somewhere in the year's publication window (first report: Jan 10 of the next year).
    q.as_of = Days(q.year + 1, 1, 1) + static_cast<int32_t>((h >> 40) % 440);
    q.as_of_text = DayText(q.as_of);
    g_points.push_back(q);
  }
  g_one_series = CanonicalName(SeriesOf(g_shape, g_shape.series / 2));
  g_rev_series = CanonicalName(SeriesOf(g_shape, g_shape.series / 3));
  g_rev_year = std::max(g_shape.first_year(), 2020);
  g_from = std::max(g_shape.first_year(), 2022);
  g_to = g_from + 1 <= g_shape.last_year() ? g_from + 1 : g_from;
  // The last 1% of recorded time: recorded runs from now to now + reports - 1.
  g_since = kNowMicros + static_cast<int64_t>(g_shape.reports() - g_shape.reports() / 100) - 1;
  g_since_text = FormatMicros(g_since);
  // Around the first reports of the last year: it is added, earlier years revised.
  g_diff_a = Days(g_shape.last_year(), 12, 31);
  g_diff_b = Days(g_shape.last_year() + 1, 6, 30);
}

std::string WildcardSelector(int c) { return std::string(ChargeName(c)) + "{citizenship=*, region=*}"; }
std::string GrowthStatement(int c) {
  return "growth(" + WildcardSelector(c) + ", " + std::to_string(g_from) + ", " + std::to_string(g_to) + ")";
}
std::string GrowthAllScript() {
  std::string s;
  for (int c = 0; c < kCharges; ++c) s += GrowthStatement(c) + ";\n";
  return s;
}
std::string VintagesStatement(int c) {
  return "vintages(" + WildcardSelector(c) + ", " + std::to_string(kVintageFrom) + ".." +
         std::to_string(kVintageTo) + ")";
}
std::string DiffStatement(int c) {
  return "diff(" + WildcardSelector(c) + ", as of " + DayText(g_diff_a) + ", as of " + DayText(g_diff_b) + ")";
}
std::string PointStatement(const PointQuestion& q) {
  return q.series + "[" + std::to_string(q.year) + "] as of " + q.as_of_text;
}

// ---------------------------------------------------------------- docket through its API

// Each row of every table as one line of `fields` (answers.h's canonical
// form), built as the row arrives: the rows themselves are not kept.
class LinesOutput : public docket::Output {
 public:
  explicit LinesOutput(const std::vector<std::string>& fields) : fields_(fields) {}
  void Begin(const std::vector<std::string>& columns) override {
    index_.clear();
    for (const auto& f : fields_) {
      auto it = std::find(columns.begin(), columns.end(), f);
      if (it == columns.end()) Die("docket result has no field " + f);
      index_.push_back(static_cast<size_t>(it - columns.begin()));
    }
  }
  docket::Status Row(const std::vector<docket::Cell>& cells) override {
    std::string& line = lines.emplace_back();
    for (size_t k = 0; k < index_.size(); ++k) {
      if (k) line += '|';
      AppendCellText(cells[index_[k]], &line);
    }
    return {};
  }
  void End() override {}
  void Plot(const docket::Table&) override {}
  void Check(std::string_view, const docket::CheckResult&) override {}
  void Message(std::string_view, std::string_view) override {}
  Lines lines;

 private:
  static void AppendCellText(const docket::Cell& c, std::string* line) {
    switch (c.kind) {
      case docket::Cell::Kind::kText: *line += c.text; return;
      case docket::Cell::Kind::kNumber: *line += Num(c.number); return;
      case docket::Cell::Kind::kBool: *line += c.boolean ? "true" : "false"; return;
      case docket::Cell::Kind::kNull: return;
    }
  }
  const std::vector<std::string>& fields_;
  std::vector<size_t> index_;
};

class DocketWay {
 public:
  void Open(const std::string& path) {
    auto opened = docket::Archive::Open(path, docket::OpenOptions{docket::OpenOptions::Mode::kRead, 0});
    if (!opened.ok()) Die("docket: " + opened.status().message());
    archive_ = std::move(*opened);
  }
  docket::Archive& archive() { return *archive_; }

  static int32_t Today() { return static_cast<int32_t>(kNowMicros / 86400000000LL); }

  // Parse + check (the plan) of a script.
  std::unique_ptr<docket::ast::Script> Prepare(const std::string& text) {
    auto script = std::make_unique<docket::ast::Script>();
    docket::Status s = docket::ParsePiece("bench", text, docket::ParseOptions{Today()}, script.get());
    if (!s.ok()) Die("docket parse: " + s.message() + "\n  in " + text);
    s = docket::CheckNames(*script, archive_.get());
    if (!s.ok()) Die("docket check: " + s.message() + "\n  in " + text);
    return script;
  }
  // The script's answer as lines of `fields` (answers.h).
  Lines Run(const docket::ast::Script& script, const std::vector<std::string>& fields) {
    LinesOutput out(fields);
    auto r = docket::Run(script, 0, script.statements.size(), *archive_, docket::RunOptions{kNowMicros, docket::Deadline()}, out);
    if (!r.error.ok()) Die("docket run: " + r.error.message());
    return std::move(out.lines);
  }

 private:
  std::unique_ptr<docket::Archive> archive_;
};

const std::vector<std::string> kValueFields = {"series", "period", "value", "source", "reported"};
const std::vector<std::string> kGrowthFields = {"series", "from", "to", "from_value", "to_value",
                                                "lo",     "hi",   "approx", "source"};
const std::vector<std::string> kSumFields = {"period", "lo", "hi", "approx", "source", "reported"};
const std::vector<std::string> kVintageFields = {"series", "period", "vintage", "value", "source", "reported"};
const std::vector<std::string> kDiffFields = {"series",   "period",     "change",  "value_a",   "source_a",
                                              "reported_a", "value_b", "source_b", "reported_b"};
const std::vector<std::string> kRevFields = {"series", "period", "source", "reported",
                                             "recorded", "value", "status", "note"};

// ---------------------------------------------------------------- shared state

struct Ways {
  DocketWay docket;
  SqlitePeer sqlite;
  RocksPeer rocks;
  std::vector<std::unique_ptr<docket::ast::Script>> points;
  std::unique_ptr<docket::ast::Script> series, growth, sum, revisions, changes, vintages, diff;
};
Ways* g_ways = nullptr;

void OpenWays() {
  g_ways = new Ways;
  Ways& w = *g_ways;
  w.docket.Open(g_paths.docket);
  std::string error;
  if (!w.sqlite.Open(g_paths.sqlite, &error)) Die(error);
  if (!w.rocks.Open(g_paths.rocks, &error)) Die(error);
  for (const auto& q : g_points) w.points.push_back(w.docket.Prepare(PointStatement(q)));
  w.series = w.docket.Prepare(g_one_series);
  w.growth = w.docket.Prepare(GrowthAllScript());
  w.sum = w.docket.Prepare("sum(" + WildcardSelector(0) + ")");
  w.revisions = w.docket.Prepare("revisions(" + g_rev_series + "[" + std::to_string(g_rev_year) + "])");
  w.changes = w.docket.Prepare("changes since " + g_since_text);
  w.vintages = w.docket.Prepare(VintagesStatement(0));
  w.diff = w.docket.Prepare(DiffStatement(0));
}

int32_t YearPeriod(int year) { return year * 32; }

// ---------------------------------------------------------------- setup

bool Exists(const std::string& p) {
  std::error_code ec;
  return fs::exists(p, ec);
}

ProcessResult MustRun(const std::vector<std::string>& argv, bool measure_rss = false) {
  ProcessResult r = RunProcess(argv, kEnv, measure_rss);
  if (r.exit_code != 0) {
    std::string cmd;
    for (const auto& a : argv) cmd += a + " ";
    Die("command failed (" + std::to_string(r.exit_code) + "): " + cmd + "\n" + r.err.substr(0, 2000));
  }
  return r;
}

// Writes the workload's rows as kImports consecutive slices, each with the
// header, beside the workload; returns their paths.
std::vector<std::string> SplitWorkload() {
  std::ifstream in(g_paths.csv);
  std::string header, line;
  std::getline(in, header);
  const uint64_t rows = g_shape.reports();
  std::vector<std::string> parts;
  uint64_t row = 0;
  for (int i = 0; i < kImports; ++i) {
    parts.push_back(g_paths.dir + "/part-" + std::to_string(i) + ".csv");
    std::ofstream out(parts.back());
    out << header << '\n';
    const uint64_t end = rows * static_cast<uint64_t>(i + 1) / kImports;
    for (; row < end && std::getline(in, line); ++row) out << line << '\n';
    if (!out) Die("cannot write " + parts.back());
  }
  return parts;
}

// Imports into `path` with one of the three ways (or docket's in kImports
// imports, "docket-parts"); returns the (last) import process.
ProcessResult Import(const std::string& way, const std::string& path) {
  std::error_code ec;
  fs::remove_all(path, ec);
  if (way == "docket") {
    MustRun({g.docket, "--db", path, "-f", g_paths.defs});
    return MustRun({g.docket, "import", "--db", path, g_paths.csv}, true);
  }
  if (way == "docket-parts") {
    MustRun({g.docket, "--db", path, "-f", g_paths.defs});
    ProcessResult last;
    for (const std::string& part : SplitWorkload()) {
      last = MustRun({g.docket, "import", "--db", path, part}, true);
      fs::remove(part, ec);
    }
    return last;
  }
  if (way == "sqlite")
    return MustRun({g.tool, "sqlite-import", "--csv", g_paths.csv, "--defs", g_paths.defs, "--db", path}, true);
  return MustRun({g.tool, "raw-import", "--csv", g_paths.csv, "--defs", g_paths.defs, "--db", path}, true);
}

// Imports with one of the three ways into a scratch store beside the
// workload, gives its bytes on disk (when asked) and removes it; returns
// the import process.
ProcessResult ScratchImport(const std::string& way, uint64_t* bytes = nullptr) {
  const std::string path = g_paths.dir + "/import-" + way + (way == "sqlite" ? ".sqlite" : "");
  ProcessResult r = Import(way, path);
  if (bytes) *bytes = DiskBytes(path);
  std::error_code ec;
  fs::remove_all(path, ec);
  return r;
}

void Setup() {
  g_shape = ShapeFor(g.reports, g.seed);
  g_paths.dir = g.workdir + "/" + g.reports_text + "-seed" + std::to_string(g.seed);
  g_paths.csv = g_paths.dir + "/workload.csv";
  g_paths.defs = g_paths.dir + "/definitions.docket";
  g_paths.docket = g_paths.dir + "/docket";
  g_paths.sqlite = g_paths.dir + "/reports.sqlite";
  g_paths.rocks = g_paths.dir + "/rocksdb";
  g_paths.docket_parts = g_paths.dir + "/docket-parts";
  std::error_code ec;
  if (g.fresh) fs::remove_all(g_paths.dir, ec);
  fs::create_directories(g_paths.dir, ec);
  if (!Exists(g_paths.csv) || !Exists(g_paths.defs)) {
    std::fprintf(stderr, "generating %s (%llu reports)...\n", g_paths.csv.c_str(),
                 static_cast<unsigned long long>(g_shape.reports()));
    MustRun({g.tool, "generate", "--reports", std::to_string(g_shape.reports()), "--seed",
             std::to_string(g.seed), "--out", g_paths.csv + ".tmp", "--defs", g_paths.defs});
    fs::rename(g_paths.csv + ".tmp", g_paths.csv);
  }
  const std::pair<std::string, std::string> stores[] = {{"docket", g_paths.docket},
                                                       {"sqlite", g_paths.sqlite},
                                                       {"rocksdb", g_paths.rocks},
                                                       {"docket-parts", g_paths.docket_parts}};
  // A store is reused while the binary that imported it is unchanged (the
  // archive format may change between builds).
  auto stamp = [](const std::string& binary) {
    std::error_code e;
    const auto t = fs::last_write_time(binary, e).time_since_epoch().count();
    return binary + " " + std::to_string(fs::file_size(binary, e)) + " " + std::to_string(t);
  };
  for (const auto& [way, path] : stores) {
    const std::string want = stamp(way.starts_with("docket") ? g.docket : g.tool);
    std::string have;
    std::getline(std::ifstream(path + ".done"), have);
    if (have == want) continue;
    std::fprintf(stderr, "importing into %s...\n", path.c_str());
    Import(way, path);
    std::ofstream(path + ".done") << want << "\n";
  }
  ChooseQuestions();
}

// The growth of charge 0 as each way's whole process (in kWays' order:
// docket, the sqlite3 shell, the raw tool), docket's from `docket_store`.
std::array<std::vector<std::string>, 3> GrowthOfAChargeCommands(const std::string& docket_store) {
  return {{{g.docket, "--db", docket_store, "--format", "csv", "-e", GrowthStatement(0)},
           {g.sqlite3, "-readonly", g_paths.sqlite,
            SqlitePeer::ShellGrowth(ChargeName(0), YearPeriod(g_from), YearPeriod(g_to))},
           {g.raw, "--db", g_paths.rocks, "growth", ChargeName(0), std::to_string(YearPeriod(g_from)),
            std::to_string(YearPeriod(g_to))}}};
}

// ---------------------------------------------------------------- answers must agree

// Fields of docket's csv output, read with docket's own reader.
std::vector<std::vector<std::string>> ParseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  if (text.empty()) return rows;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> in(
      ::fmemopen(const_cast<char*>(text.data()), text.size(), "r"), &std::fclose);
  if (!in) Die("fmemopen failed");
  docket::cli::CsvReader reader(in.get());
  docket::cli::CsvRecord record;
  while (reader.Next(&record)) {
    if (!reader.error().empty()) Die("docket's csv output is malformed: " + reader.error());
    auto& row = rows.emplace_back();
    for (const auto& field : record.fields) row.push_back(field.text);
  }
  return rows;
}

// docket's csv → lines of the given fields.
Lines CsvLines(const std::string& csv, const std::vector<std::string>& fields) {
  auto rows = ParseCsv(csv);
  Lines out;
  if (rows.empty()) return out;
  std::vector<size_t> idx;
  for (const auto& f : fields) {
    auto it = std::find(rows[0].begin(), rows[0].end(), f);
    if (it == rows[0].end()) Die("docket output has no field " + f + ":\n" + csv.substr(0, 500));
    idx.push_back(static_cast<size_t>(it - rows[0].begin()));
  }
  for (size_t r = 1; r < rows.size(); ++r) {
    if (rows[r].size() == 1 && rows[r][0].empty()) continue;  // blank line between results
    if (rows[r] == rows[0]) continue;                        // the next result's header
    std::string line;
    for (size_t k = 0; k < idx.size(); ++k) {
      std::string v = rows[r][idx[k]];
      if (fields[k] == "lo" || fields[k] == "hi") v = v.empty() ? "" : Num(std::strtod(v.c_str(), nullptr));
      if (k) line += '|';
      line += v;
    }
    out.push_back(line);
  }
  return out;
}

Lines TextLines(const std::string& text) {
  Lines out;
  size_t a = 0;
  while (a < text.size()) {
    size_t b = text.find('\n', a);
    if (b == std::string::npos) b = text.size();
    out.push_back(text.substr(a, b - a));
    a = b + 1;
  }
  return out;
}

// Growth lines: the lo/hi fields compared as numbers (the shell prints
// them with SQLite's own printf).
Lines NormalizeGrowth(Lines lines) {
  for (auto& l : lines) {
    std::vector<std::string> f;
    size_t a = 0;
    for (;;) {
      size_t b = l.find('|', a);
      f.push_back(l.substr(a, b == std::string::npos ? std::string::npos : b - a));
      if (b == std::string::npos) break;
      a = b + 1;
    }
    if (f.size() != 9) continue;
    for (size_t k : {5u, 6u})
      if (!f[k].empty()) f[k] = Num(std::strtod(f[k].c_str(), nullptr));
    l.clear();
    for (size_t k = 0; k < f.size(); ++k) {
      if (k) l += '|';
      l += f[k];
    }
  }
  return lines;
}

int g_failures = 0;
// Reports the differences of docket's answer from SQLite's (d1) and raw
// RocksDB's (d2); empty: the same.
void Report(const std::string& what, size_t rows, const std::string& d1, const std::string& d2) {
  if (d1.empty() && d2.empty()) {
    std::fprintf(stderr, "  %-34s identical (%zu rows)\n", what.c_str(), rows);
    return;
  }
  ++g_failures;
  std::fprintf(stderr, "  %-34s DIFFERENT\n", what.c_str());
  if (!d1.empty()) std::fprintf(stderr, "    docket vs SQLite: %s\n", d1.c_str());
  if (!d2.empty()) std::fprintf(stderr, "    docket vs RocksDB: %s\n", d2.c_str());
}
void Agree(const std::string& what, const Lines& docket, const Lines& sqlite, const Lines& rocks) {
  Report(what, docket.size(), Diff(docket, sqlite), Diff(docket, rocks));
}
// The §7 rows have no raw RocksDB way (issue 11 asks for docket beside SQL).
void Agree(const std::string& what, const Lines& docket, const Lines& sqlite) {
  Report(what, docket.size(), Diff(docket, sqlite), "");
}

void Verify() {
  Ways& w = *g_ways;
  std::fprintf(stderr, "checking answers (docket | SQLite | raw RocksDB):\n");
  Lines d, s, r;
  size_t rows = 0;
  for (size_t i = 0; i < g_points.size(); ++i) {
    const auto& q = g_points[i];
    Lines a = w.docket.Run(*w.points[i], kValueFields);
    Lines b = w.sqlite.Point(q.series, YearPeriod(q.year), q.as_of);
    Lines c = w.rocks.Point(q.series, YearPeriod(q.year), q.as_of);
    rows += a.size();
    d.insert(d.end(), a.begin(), a.end());
    s.insert(s.end(), b.begin(), b.end());
    r.insert(r.end(), c.begin(), c.end());
  }
  Agree("point as of (" + std::to_string(g_points.size()) + " cells)", d, s, r);
  Agree("series, all periods", w.docket.Run(*w.series, kValueFields), w.sqlite.Series(g_one_series),
        w.rocks.Series(g_one_series));
  d.clear(), s.clear(), r.clear();
  d = w.docket.Run(*w.growth, kGrowthFields);
  for (int c = 0; c < kCharges; ++c) {
    Lines b = w.sqlite.Growth(ChargeName(c), YearPeriod(g_from), YearPeriod(g_to));
    Lines e = w.rocks.Growth(ChargeName(c), YearPeriod(g_from), YearPeriod(g_to));
    s.insert(s.end(), b.begin(), b.end());
    r.insert(r.end(), e.begin(), e.end());
  }
  Agree("growth, every series", d, s, r);
  Agree("sum of a charge per period", w.docket.Run(*w.sum, kSumFields), w.sqlite.Sum(ChargeName(0)),
        w.rocks.Sum(ChargeName(0)));
  Agree("revisions of a cell", w.docket.Run(*w.revisions, kRevFields),
        w.sqlite.Revisions(g_rev_series, YearPeriod(g_rev_year)), w.rocks.Revisions(g_rev_series, YearPeriod(g_rev_year)));
  Agree("changes since (last 1%)", w.docket.Run(*w.changes, kRevFields), w.sqlite.Changes(g_since),
        w.rocks.Changes(g_since));
  Agree("vintages of a charge", w.docket.Run(*w.vintages, kVintageFields),
        w.sqlite.Vintages(ChargeName(0), kVintageFrom, kVintageTo));
  Agree("diff of a charge", w.docket.Run(*w.diff, kDiffFields), w.sqlite.Diff(ChargeName(0), g_diff_a, g_diff_b));

  // Whole processes: the docket binary, the sqlite3 shell, the raw tool.
  const PointQuestion& q = g_points[0];
  Agree("one-shot point (binaries)",
        CsvLines(MustRun({g.docket, "--db", g_paths.docket, "--format", "csv", "-e", PointStatement(q)}).out, kValueFields),
        TextLines(MustRun({g.sqlite3, "-readonly", g_paths.sqlite,
                           SqlitePeer::ShellPoint(q.series, YearPeriod(q.year), q.as_of)}).out),
        TextLines(MustRun({g.raw, "--db", g_paths.rocks, "point", q.series,
                           std::to_string(YearPeriod(q.year)), std::to_string(q.as_of)}).out));
  const std::pair<std::string, std::string> growth_stores[] = {
      {"one-shot growth of a charge (binaries)", g_paths.docket},
      {"one-shot growth of a charge, docket in " + std::to_string(kImports) + " imports", g_paths.docket_parts}};
  for (const auto& [name, store] : growth_stores) {
    const auto argv = GrowthOfAChargeCommands(store);
    Agree(name, NormalizeGrowth(CsvLines(MustRun(argv[0]).out, kGrowthFields)),
          NormalizeGrowth(TextLines(MustRun(argv[1]).out)), NormalizeGrowth(TextLines(MustRun(argv[2]).out)));
  }
  if (g_failures > 0) {
    std::fprintf(stderr, "FAIL: the three ways give different answers (%d checks); no timing is meaningful.\n",
                 g_failures);
    std::exit(1);
  }
}

// ---------------------------------------------------------------- benchmarks

void Counters(benchmark::State& state, double rss_kib) {
  state.counters["peak_rss_MiB"] = rss_kib / 1024.0;
}

void BM_Import(benchmark::State& state, std::string way) {
  double rss = 0, seconds = 0, cpu = 0;
  uint64_t bytes = 0;
  for (auto _ : state) {
    ProcessResult r = ScratchImport(way, &bytes);
    state.SetIterationTime(r.seconds);
    seconds += r.seconds;
    cpu += r.cpu_seconds;
    rss = std::max(rss, static_cast<double>(r.max_rss_kib));
  }
  const double n = static_cast<double>(g_shape.reports());
  state.counters["rows_per_s"] = n * static_cast<double>(state.iterations()) / seconds;
  state.counters["bytes_per_report"] = static_cast<double>(bytes) / n;
  state.counters["child_cpu_ms"] = 1e3 * cpu / static_cast<double>(state.iterations());
  Counters(state, rss);
}

template <class F>
void BM_InProcess(benchmark::State& state, F f) {
  size_t rows = 0, i = 0;
  for (auto _ : state) {
    Lines l = f(i++);
    rows = l.size();
    benchmark::DoNotOptimize(l.data());
  }
  state.counters["rows"] = static_cast<double>(rows);
}

void BM_Process(benchmark::State& state, std::function<std::vector<std::string>(size_t)> argv) {
  double cpu = 0;
  size_t i = 0;
  for (auto _ : state) {
    ProcessResult r = RunProcess(argv(i++), kEnv);
    if (r.exit_code != 0) {
      state.SkipWithError(("exit " + std::to_string(r.exit_code) + ": " + r.err.substr(0, 200)).c_str());
      return;
    }
    state.SetIterationTime(r.seconds);
    cpu += r.cpu_seconds;
  }
  state.counters["child_cpu_ms"] = 1e3 * cpu / static_cast<double>(state.iterations());
  // Peak memory: once more under /usr/bin/time (not timed).
  Counters(state, static_cast<double>(RunProcess(argv(0), kEnv, true).max_rss_kib));
}

// The three ways, as the rows name them.
constexpr std::array<const char*, 3> kWays = {"docket", "sqlite", "rocksdb"};

// The whole-process questions: for each, the command line of each way for
// its i-th run (the point lookup cycles through g_points; the same i is the
// same question for every way).
struct OneShot {
  std::string name;
  std::array<std::function<std::vector<std::string>(size_t)>, 3> commands;  // in kWays' order
};

// The growth of charge 0 as a whole-process question, docket's from
// `*docket_store` (read when the question is asked).
OneShot GrowthOfACharge(std::string name, const std::string* docket_store) {
  OneShot q{std::move(name), {}};
  for (size_t way = 0; way < q.commands.size(); ++way)
    q.commands[way] = [docket_store, way](size_t) { return GrowthOfAChargeCommands(*docket_store)[way]; };
  return q;
}

std::vector<OneShot> OneShots() {
  const size_t k = g_points.size();
  return {
      {"oneshot_point",
       {[k](size_t i) {
         return std::vector<std::string>{g.docket, "--db", g_paths.docket, "--format", "csv", "-e",
                                         PointStatement(g_points[i % k])};
       },
       [k](size_t i) {
         const auto& q = g_points[i % k];
         return std::vector<std::string>{g.sqlite3, "-readonly", g_paths.sqlite,
                                         SqlitePeer::ShellPoint(q.series, YearPeriod(q.year), q.as_of)};
       },
       [k](size_t i) {
         const auto& q = g_points[i % k];
         return std::vector<std::string>{g.raw, "--db", g_paths.rocks, "point", q.series,
                                         std::to_string(YearPeriod(q.year)), std::to_string(q.as_of)};
       }}},
      GrowthOfACharge("oneshot_growth_charge", &g_paths.docket),
      // The same question of the docket store loaded in kImports imports
      // (the peers' stores are the same as above).
      GrowthOfACharge("oneshot_growth_charge_in_parts", &g_paths.docket_parts),
      {"oneshot_growth_all",
       {[](size_t) {
         return std::vector<std::string>{g.docket, "--db", g_paths.docket, "--format", "csv", "-e", GrowthAllScript()};
       },
       [](size_t) {
         std::string sql;
         for (int c = 0; c < kCharges; ++c)
           sql += SqlitePeer::ShellGrowth(ChargeName(c), YearPeriod(g_from), YearPeriod(g_to)) + "\n";
         return std::vector<std::string>{g.sqlite3, "-readonly", g_paths.sqlite, sql};
       },
       [](size_t) {
         return std::vector<std::string>{g.raw, "--db", g_paths.rocks, "growth", "*",
                                         std::to_string(YearPeriod(g_from)), std::to_string(YearPeriod(g_to))};
       }}},
  };
}

// The hold-out style (issue 15): `rounds` rounds; in each, every way answers
// every whole-process question once, the ways in a random order, so that a
// drift of the machine falls on all of them alike. With `imports`, the
// import (CSV to a durable store, the same process as the table's row) is
// the first question, in `imports` rounds of its own. Prints each way's
// median wall time and the median (and quartiles) of the per-round ratios
// of docket to each peer: for the import, of the peer's time to docket's,
// so that above 1 is docket faster, as the table's rows/s ratio.
void Alternate(int rounds, int imports) {
  std::mt19937 shuffle(static_cast<uint32_t>(g.seed));
  auto quartiles = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    auto at = [&](double q) { return v[static_cast<size_t>(q * static_cast<double>(v.size() - 1) + 0.5)]; };
    return std::array<double, 3>{at(0.25), at(0.5), at(0.75)};
  };
  struct Question {
    std::string name;
    int rounds;
    bool ratio_of_peer_to_docket;
    std::function<ProcessResult(size_t way, size_t i)> run;
  };
  std::vector<Question> questions;
  if (imports > 0)
    questions.push_back({"import (rows/s ratio)", imports, true,
                         [](size_t way, size_t) { return ScratchImport(kWays[way]); }});
  for (OneShot& q : OneShots())
    questions.push_back({q.name, rounds, false, [commands = std::move(q.commands)](size_t way, size_t i) {
                           return RunProcess(commands[way](i), kEnv);
                         }});
  std::printf("| question | docket ms | sqlite3 ms | raw ms | docket ÷ sqlite3 (IQR) | docket ÷ raw (IQR) |\n");
  std::printf("|---|---:|---:|---:|---|---|\n");
  for (const Question& q : questions) {
    std::vector<double> t[3];
    for (int r = 0; r < q.rounds; ++r) {
      std::array<size_t, 3> order = {0, 1, 2};
      std::shuffle(order.begin(), order.end(), shuffle);
      for (size_t way : order) {
        ProcessResult p = q.run(way, static_cast<size_t>(r));
        if (p.exit_code != 0) Die(q.name + ": exit " + std::to_string(p.exit_code) + ": " + p.err.substr(0, 200));
        t[way].push_back(1e3 * p.seconds);
      }
    }
    std::vector<double> to_sqlite, to_raw;
    for (int r = 0; r < q.rounds; ++r) {
      to_sqlite.push_back(q.ratio_of_peer_to_docket ? t[1][r] / t[0][r] : t[0][r] / t[1][r]);
      to_raw.push_back(q.ratio_of_peer_to_docket ? t[2][r] / t[0][r] : t[0][r] / t[2][r]);
    }
    const auto a = quartiles(to_sqlite), b = quartiles(to_raw);
    std::printf("| %s | %.2f | %.2f | %.2f | %.2f (%.2f–%.2f) | %.2f (%.2f–%.2f) |\n", q.name.c_str(),
                quartiles(t[0])[1], quartiles(t[1])[1], quartiles(t[2])[1], a[1], a[0], a[2], b[1], b[0], b[2]);
  }
  std::printf("\n%d rounds (the import: %d); wall time from spawn to reaped, medians; the ratios are medians "
              "of the rounds' ratios\n", rounds, imports);
}

void Register() {
  Ways& w = *g_ways;
  auto in_process = [&](const std::string& name, auto f) {
    benchmark::RegisterBenchmark(name.c_str(), [f](benchmark::State& st) { BM_InProcess(st, f); })
        ->Repetitions(g.reps)
        ->MinTime(g.min_time)
        ->Unit(benchmark::kMicrosecond);
  };
  auto process = [&](const std::string& name, std::function<std::vector<std::string>(size_t)> argv) {
    benchmark::RegisterBenchmark(name.c_str(), [argv](benchmark::State& st) { BM_Process(st, argv); })
        ->Repetitions(g.reps)
        ->MinTime(g.oneshot_min_time)
        ->UseManualTime()
        ->Unit(benchmark::kMillisecond);
  };
  for (const char* way : kWays)
    benchmark::RegisterBenchmark((std::string("import/") + way).c_str(),
                                 [way](benchmark::State& st) { BM_Import(st, way); })
        ->Repetitions(g.reps)
        ->Iterations(1)
        ->UseManualTime()
        ->Unit(benchmark::kMillisecond);

  const size_t k = g_points.size();
  in_process("point_as_of/docket", [&w, k](size_t i) { return w.docket.Run(*w.points[i % k], kValueFields); });
  in_process("point_as_of/sqlite", [&w, k](size_t i) {
    const auto& q = g_points[i % k];
    return w.sqlite.Point(q.series, YearPeriod(q.year), q.as_of);
  });
  in_process("point_as_of/rocksdb", [&w, k](size_t i) {
    const auto& q = g_points[i % k];
    return w.rocks.Point(q.series, YearPeriod(q.year), q.as_of);
  });
  in_process("series_all_periods/docket", [&w](size_t) { return w.docket.Run(*w.series, kValueFields); });
  in_process("series_all_periods/sqlite", [&w](size_t) { return w.sqlite.Series(g_one_series); });
  in_process("series_all_periods/rocksdb", [&w](size_t) { return w.rocks.Series(g_one_series); });
  in_process("growth_all_series/docket", [&w](size_t) { return w.docket.Run(*w.growth, kGrowthFields); });
  in_process("growth_all_series/sqlite", [&w](size_t) {
    Lines out;
    for (int c = 0; c < kCharges; ++c)
      for (auto& l : w.sqlite.Growth(ChargeName(c), YearPeriod(g_from), YearPeriod(g_to))) out.push_back(std::move(l));
    return out;
  });
  in_process("growth_all_series/rocksdb", [&w](size_t) {
    Lines out;
    for (int c = 0; c < kCharges; ++c)
      for (auto& l : w.rocks.Growth(ChargeName(c), YearPeriod(g_from), YearPeriod(g_to))) out.push_back(std::move(l));
    return out;
  });
  in_process("sum_charge/docket", [&w](size_t) { return w.docket.Run(*w.sum, kSumFields); });
  in_process("sum_charge/sqlite", [&w](size_t) { return w.sqlite.Sum(ChargeName(0)); });
  in_process("sum_charge/rocksdb", [&w](size_t) { return w.rocks.Sum(ChargeName(0)); });
  in_process("revisions_cell/docket", [&w](size_t) { return w.docket.Run(*w.revisions, kRevFields); });
  in_process("revisions_cell/sqlite", [&w](size_t) { return w.sqlite.Revisions(g_rev_series, YearPeriod(g_rev_year)); });
  in_process("revisions_cell/rocksdb", [&w](size_t) { return w.rocks.Revisions(g_rev_series, YearPeriod(g_rev_year)); });
  in_process("changes_since_1pct/docket", [&w](size_t) { return w.docket.Run(*w.changes, kRevFields); });
  in_process("changes_since_1pct/sqlite", [&w](size_t) { return w.sqlite.Changes(g_since); });
  in_process("changes_since_1pct/rocksdb", [&w](size_t) { return w.rocks.Changes(g_since); });
  in_process("vintages_charge/docket", [&w](size_t) { return w.docket.Run(*w.vintages, kVintageFields); });
  in_process("vintages_charge/sqlite", [&w](size_t) { return w.sqlite.Vintages(ChargeName(0), kVintageFrom, kVintageTo); });
  in_process("diff_charge/docket", [&w](size_t) { return w.docket.Run(*w.diff, kDiffFields); });
  in_process("diff_charge/sqlite", [&w](size_t) { return w.sqlite.Diff(ChargeName(0), g_diff_a, g_diff_b); });
  in_process("parse_plan/docket", [&w](size_t) {
    auto script = w.docket.Prepare(GrowthStatement(0));
    benchmark::DoNotOptimize(script.get());
    return Lines();
  });
  in_process("parse_plan/sqlite", [&w](size_t) {
    if (!w.sqlite.PrepareGrowth()) Die("prepare failed");
    return Lines();
  });

  for (const OneShot& q : OneShots())
    for (size_t way = 0; way < kWays.size(); ++way) process(q.name + "/" + kWays[way], q.commands[way]);
}

// Bytes of the final stores, and SQLite's recorded index on its own.
void ReportSizes() {
  const double n = static_cast<double>(g_shape.reports());
  const double d = static_cast<double>(DiskBytes(g_paths.docket));
  const double s = static_cast<double>(DiskBytes(g_paths.sqlite));
  const double r = static_cast<double>(DiskBytes(g_paths.rocks));
  ProcessResult idx = RunProcess({g.sqlite3, "-readonly", g_paths.sqlite,
                                  "SELECT sum(pgsize) FROM dbstat WHERE name = 'reports_by_recorded'"});
  const double index_bytes = std::strtod(idx.out.c_str(), nullptr);
  std::fprintf(stderr,
               "bytes per report: docket %.2f, SQLite %.2f (%.2f without its recorded index), raw RocksDB %.2f\n",
               d / n, s / n, (s - index_bytes) / n, r / n);
  std::ofstream(g_paths.dir + "/sizes.json")
      << "{\"reports\": " << g_shape.reports() << ", \"docket\": " << d << ", \"sqlite\": " << s
      << ", \"sqlite_recorded_index\": " << index_bytes << ", \"rocksdb\": " << r << "}\n";
}

bool TakeFlag(std::vector<char*>* args, const std::string& name, std::string* value) {
  for (size_t i = 1; i < args->size(); ++i) {
    const std::string a = (*args)[i];
    if (a == name && i + 1 < args->size()) {
      *value = (*args)[i + 1];
      args->erase(args->begin() + static_cast<long>(i), args->begin() + static_cast<long>(i) + 2);
      return true;
    }
    if (a.rfind(name + "=", 0) == 0) {
      *value = a.substr(name.size() + 1);
      args->erase(args->begin() + static_cast<long>(i));
      return true;
    }
  }
  return false;
}

bool TakeSwitch(std::vector<char*>* args, const std::string& name) {
  for (size_t i = 1; i < args->size(); ++i)
    if ((*args)[i] == name) {
      args->erase(args->begin() + static_cast<long>(i));
      return true;
    }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<char*> args(argv, argv + argc);
  std::string v;
  if (TakeFlag(&args, "--workdir", &v)) g.workdir = v;
  if (TakeFlag(&args, "--reports", &v)) {
    g.reports_text = v;
    if (!ParseCount(v, &g.reports)) Die("bad --reports " + v);
  }
  if (TakeFlag(&args, "--seed", &v) && !ParseCount(v, &g.seed)) Die("bad --seed " + v);
  if (TakeFlag(&args, "--reps", &v)) g.reps = std::max(1, std::atoi(v.c_str()));
  if (TakeFlag(&args, "--min-time", &v)) g.min_time = g.oneshot_min_time = std::atof(v.c_str());
  if (TakeFlag(&args, "--docket", &v)) g.docket = v;
  if (TakeFlag(&args, "--tool", &v)) g.tool = v;
  if (TakeFlag(&args, "--raw", &v)) g.raw = v;
  if (TakeFlag(&args, "--sqlite3", &v)) g.sqlite3 = v;
  int alternate = 0, alternate_imports = 0;
  if (TakeFlag(&args, "--alternate", &v)) alternate = std::max(1, std::atoi(v.c_str()));
  if (TakeFlag(&args, "--alternate-imports", &v)) alternate_imports = std::max(1, std::atoi(v.c_str()));
  g.quick = TakeSwitch(&args, "--quick");
  g.fresh = TakeSwitch(&args, "--fresh");
  g.plans = TakeSwitch(&args, "--plans");
  const bool verify_only = TakeSwitch(&args, "--verify-only");
  if (g.quick) {
    g.reps = 1;
    g.min_time = 0.02;
    g.oneshot_min_time = 0.05;
  }
  int n = static_cast<int>(args.size());
  benchmark::Initialize(&n, args.data());
  if (benchmark::ReportUnrecognizedArguments(n, args.data())) return 64;

  Setup();
  OpenWays();
  if (g.plans) std::fprintf(stderr, "SQLite query plans:\n%s", g_ways->sqlite.Plans().c_str());
  Verify();
  ReportSizes();
  if (verify_only) return 0;
  if (alternate > 0) {
    Alternate(alternate, alternate_imports);
    return 0;
  }
  benchmark::AddCustomContext("reports", std::to_string(g_shape.reports()));
  benchmark::AddCustomContext("series", std::to_string(g_shape.series));
  benchmark::AddCustomContext("workdir", g_paths.dir);
  Register();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
