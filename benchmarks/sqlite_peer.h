// The SQLite peer (issue 5): what a user would build instead of docket, a
// SQLite 3.40 file with a WITHOUT ROWID reports table keyed like the data,
// WAL, prepared statements, one transaction per import; with the best SQL
// we could write for each question (query plans in benchmarks/README.md).
//
//   sources(id, name, priority)
//   series(id, charge, name)             name: docket's canonical series text
//   reports(series, period, source, day, recorded, prec, bound, value, note, url)
//     PRIMARY KEY (series, period, source, day, recorded) WITHOUT ROWID
//     day = effective reported day; prec = how the date was written;
//     recorded = system time (µs), as docket stamps it; bound 4 = retraction
//   reports_by_recorded ON reports(recorded)      for `changes since`
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "benchmarks/answers.h"

struct sqlite3;
struct sqlite3_stmt;

namespace docket::bench {

// Imports the CSV (with the definitions) into a new database file, one
// transaction, synced (synchronous=FULL) on return. Rows get recorded =
// now + their rank, as docket stamps them.
bool SqliteImport(const std::string& csv, const std::string& definitions, const std::string& db,
                  int64_t now, bool recorded_index, ImportStats* stats, std::string* error);

class SqlitePeer {
 public:
  ~SqlitePeer();
  bool Open(const std::string& path, std::string* error);

  // The point lookup of one cell as of a day (days since the epoch).
  Lines Point(const std::string& series, int32_t period, int32_t as_of);
  // Every period of one series, resolved.
  Lines Series(const std::string& series);
  // growth(charge{…=*}, from, to): one line per series of the charge.
  Lines Growth(const std::string& charge, int32_t from, int32_t to);
  // sum(charge{…=*}) per period.
  Lines Sum(const std::string& charge);
  // vintages(charge{…=*}, FIRST..LAST) over year-end vintages: one line per
  // cell of the charge and vintage, by series, period, vintage.
  Lines Vintages(const std::string& charge, int first_year, int last_year);
  // diff(charge{…=*}, as of A, as of B): the cells whose figure differs.
  Lines Diff(const std::string& charge, int32_t as_of_a, int32_t as_of_b);
  Lines Revisions(const std::string& series, int32_t period);
  Lines Changes(int64_t since);
  // Prepares and finalizes the growth statement (parse + plan).
  bool PrepareGrowth();
  // EXPLAIN QUERY PLAN of every statement, for the README.
  std::string Plans();

  // SQL for the sqlite3 shell (one-shot rows), literals inlined, printing
  // the same fields as docket's csv output.
  static std::string ShellPoint(const std::string& series, int32_t period, int32_t as_of);
  static std::string ShellGrowth(const std::string& charge, int32_t from, int32_t to);

 private:
  sqlite3_stmt* Stmt(const char* sql);
  // The statement with ?1 = text (kept by the caller until the next
  // step), ?2 = a, ?3 = b.
  sqlite3_stmt* Stmt(const char* sql, const std::string& text, int32_t a, int32_t b);
  sqlite3* db_ = nullptr;
  std::map<const char*, sqlite3_stmt*> stmts_;
};

}  // namespace docket::bench
