// A result as fields and rows: what query produces and cli renders.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace docket {

// One field of a result row. Numbers are the `lo`/`hi` fields: two decimals
// in table and markdown, the shortest exact decimal elsewhere. Null prints
// empty, or `null` in json/jsonl. Booleans print `true`/`false`.
struct Cell {
  enum class Kind { kText, kNumber, kBool, kNull };
  Kind kind = Kind::kNull;
  std::string text;
  double number = 0;
  bool boolean = false;

  static Cell Text(std::string s) { return {Kind::kText, std::move(s), 0, false}; }
  static Cell Number(double v) { return {Kind::kNumber, {}, v, false}; }
  static Cell Bool(bool b) { return {Kind::kBool, {}, 0, b}; }
  static Cell Null() { return {}; }
};

// A result: field names and rows of cells, one per field.
struct Table {
  std::vector<std::string> columns;
  std::vector<std::vector<Cell>> rows;
};

}  // namespace docket
