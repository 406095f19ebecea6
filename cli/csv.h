// A streaming RFC 4180 reader: records of fields, each with the physical
// line where its record starts and the character column where it starts.
// Memory holds one record at a time.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

namespace docket::cli {

struct CsvField {
  std::string text;
  size_t column = 1;  // 1-based, in characters, where the field starts
};

struct CsvRecord {
  size_t line = 1;  // physical line where the record starts
  std::vector<CsvField> fields;
};

class CsvReader {
 public:
  explicit CsvReader(std::FILE* in);

  // Reads the next record; false at the end of input. A malformed record
  // (a stray or unterminated quote) is returned with `error` set and the
  // place of the problem; reading goes on with the next line.
  bool Next(CsvRecord* record);
  const std::string& error() const { return error_; }
  size_t error_line() const { return error_line_; }
  size_t error_column() const { return error_column_; }
  bool io_error() const { return io_error_; }

 private:
  int Get();   // next byte or EOF; advances line and column
  int Peek();
  int Refill();  // Peek once the buffer is used up: reads the next part
  void SetError(std::string message, size_t line, size_t column);

  std::FILE* in_;
  std::vector<char> buffer_;
  size_t pos_ = 0, size_ = 0;
  size_t line_ = 1, column_ = 1;
  bool at_start_ = true;  // a UTF-8 BOM is skipped there
  bool io_error_ = false;
  std::string error_;
  size_t error_line_ = 0, error_column_ = 0;
};

}  // namespace docket::cli
