#include "cli/csv.h"

#include <array>

namespace docket::cli {
namespace {

// The bytes an unquoted field's plain run stops at.
constexpr std::array<bool, 256> kEndsPlainRun = [] {
  std::array<bool, 256> stops{};
  for (unsigned char c : {',', '\n', '\r', '"'}) stops[c] = true;
  return stops;
}();

}  // namespace

CsvReader::CsvReader(std::FILE* in) : in_(in), buffer_(1 << 16) {}

int CsvReader::Refill() {
  size_ = std::fread(buffer_.data(), 1, buffer_.size(), in_);
  pos_ = 0;
  if (size_ == 0) {
    io_error_ = std::ferror(in_) != 0;
    return EOF;
  }
  return static_cast<unsigned char>(buffer_[0]);
}

inline int CsvReader::Peek() {
  if (pos_ == size_) return Refill();
  return static_cast<unsigned char>(buffer_[pos_]);
}

inline int CsvReader::Get() {
  const int c = Peek();
  if (c == EOF) return EOF;
  ++pos_;
  if (c == '\n') {
    ++line_;
    column_ = 1;
  } else if ((c & 0xc0) != 0x80) {
    ++column_;  // continuation bytes do not start a character
  }
  return c;
}

void CsvReader::SetError(std::string message, size_t line, size_t column) {
  if (!error_.empty()) return;
  error_ = std::move(message);
  error_line_ = line;
  error_column_ = column;
}

bool CsvReader::Next(CsvRecord* record) {
  error_.clear();
  if (at_start_) {
    at_start_ = false;
    if (Peek() == 0xef) {  // UTF-8 BOM: EF BB BF
      Get();
      if (Peek() == 0xbb) Get();
      if (Peek() == 0xbf) Get();
      column_ = 1;
    }
  }
  if (Peek() == EOF) return false;
  record->line = line_;
  // The record's fields reuse the strings of the record before.
  size_t count = 0;
  for (;;) {
    if (count == record->fields.size()) record->fields.emplace_back();
    CsvField& field = record->fields[count++];
    field.text.clear();
    field.column = column_;
    const size_t field_line = line_;
    if (Peek() == '"') {
      Get();
      for (;;) {
        const int c = Get();
        if (c == EOF) {
          SetError("unterminated quoted field", field_line, field.column);
          record->fields.resize(count);
          return true;
        }
        if (c == '"') {
          if (Peek() == '"') {
            field.text += static_cast<char>(Get());
            continue;
          }
          break;
        }
        field.text += static_cast<char>(c);
      }
      // Then a separator, LF, CRLF or the end; a lone CR is no line end.
      const size_t line = line_, column = column_;
      const bool cr = Peek() == '\r';
      if (cr) Get();
      const int after = Peek();
      if (after != '\n' && after != EOF && (cr || after != ',')) {
        SetError("unexpected character after a closing quote", line, column);
        while (Peek() != ',' && Peek() != '\n' && Peek() != EOF) Get();
      }
    } else {
      for (int c = Peek(); c != ',' && c != '\n' && c != EOF; c = Peek()) {
        // The run of plain bytes ahead in the buffer, taken at once.
        const char* const run = buffer_.data() + pos_;
        const char* const buffered = buffer_.data() + size_;
        const char* p = run;
        size_t characters = 0;  // continuation bytes do not start one
        for (; p != buffered && !kEndsPlainRun[static_cast<unsigned char>(*p)]; ++p)
          characters += (*p & 0xc0) != 0x80;
        if (p != run) {
          column_ += characters;
          field.text.append(run, p);
          pos_ += static_cast<size_t>(p - run);
          continue;
        }
        if (c == '"') SetError("a quote in an unquoted field", line_, column_);
        if (c == '\r') {
          Get();
          if (Peek() == '\n' || Peek() == EOF) break;
          field.text += '\r';
          continue;
        }
        field.text += static_cast<char>(Get());
      }
    }
    const int sep = Get();
    if (sep != ',') {  // newline or end of input
      record->fields.resize(count);
      return true;
    }
  }
}

}  // namespace docket::cli
