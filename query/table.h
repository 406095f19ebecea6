// A result as fields and rows: what query produces and cli renders.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "query/interval.h"

namespace docket {

// One field of a result row. Numbers are the `lo`/`hi` fields: `shown` in
// table and markdown, the exact `text` in csv, tsv, json and jsonl. Null
// prints empty, or `null` in json/jsonl. Booleans print `true`/`false`.
struct Cell {
  enum class Kind { kText, kNumber, kBool, kNull };
  Kind kind = Kind::kNull;
  std::string text;   // kText: the text; kNumber: the exact decimal (empty: not finite)
  double number = 0;  // kNumber: the value, or the double nearest to it (charts)
  bool boolean = false;
  std::string shown;  // kNumber: the rounded text for people

  static Cell Text(std::string s) { return {Kind::kText, std::move(s), 0, false, {}}; }
  // A number known exactly: query/interval.h's FormatExact and ShowLo/ShowHi.
  static Cell Number(double nearest, std::string exact, std::string shown) {
    return {Kind::kNumber, std::move(exact), nearest, false, std::move(shown)};
  }
  // A number that is this double: two decimals for people, the shortest
  // decimal that reads back for programs.
  static Cell Number(double v) { return Number(v, FormatShortest(v), FormatFixed2(v)); }
  static Cell Bool(bool b) { return {Kind::kBool, {}, 0, b, {}}; }
  static Cell Null() { return {}; }
};

// A result: field names and rows of cells, one per field.
struct Table {
  std::vector<std::string> columns;
  std::vector<std::vector<Cell>> rows;
};

}  // namespace docket
