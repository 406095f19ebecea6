// One line of a JSONL file read strictly (RFC 8259) into values that keep
// where they start, so every error has a place: FILE:LINE:COLUMN. Numbers
// stay as written (the reader of a field decides what it accepts: `1e30`
// is never quietly a count). Objects, strings, numbers, true, false and
// null; arrays are not part of any docket file and are refused.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace docket::cli {

struct JsonMember;

struct JsonValue {
  enum class Kind { kNull, kFalse, kTrue, kNumber, kString, kObject };
  Kind kind = Kind::kNull;
  std::string text;                 // kString: the decoded string (may hold any byte)
  std::string raw;                  // the value as written, for messages
  size_t column = 1;                // character column where the value starts
  std::vector<JsonMember> members;  // kObject: in input order, names unique

  // The member named `name`, or null.
  const JsonMember* Find(std::string_view name) const;
};

struct JsonMember {
  std::string name;
  size_t column = 1;  // where the name starts
  JsonValue value;
};

struct JsonError {
  size_t column = 1;
  std::string message;  // "invalid JSON: ..." or "invalid UTF-8 or a NUL byte"
};

// Parses `line` (without its line break) as one JSON object; false with
// `error` set if it is anything else: invalid UTF-8 or a NUL byte in the
// line, a syntax error, a name twice in one object, nesting deeper than 8.
bool ParseJsonObjectLine(std::string_view line, JsonValue* out, JsonError* error);

}  // namespace docket::cli
