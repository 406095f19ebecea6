#include "cli/json_line.h"

#include <fmt/format.h>

#include "storage/types.h"

namespace docket::cli {
namespace {

constexpr int kMaxDepth = 8;

struct Failure {
  size_t offset;
  std::string message;
};

// The character column of byte `offset` in a valid UTF-8 line.
size_t ColumnOf(std::string_view line, size_t offset) {
  size_t column = 1;
  for (size_t k = 0; k < offset && k < line.size(); ++k)
    if ((static_cast<unsigned char>(line[k]) & 0xc0) != 0x80) ++column;
  return column;
}

class Parser {
 public:
  explicit Parser(std::string_view line) : s_(line) {}

  void Object(JsonValue* out, int depth) {
    SkipSpace();
    if (Peek() != '{') Fail(At() ? "expected `{`" : "the line ends before an object");
    const size_t begin = i_;
    Start(out, JsonValue::Kind::kObject);
    if (depth > kMaxDepth) Fail("objects nested too deeply");
    ++i_;
    SkipSpace();
    if (Peek() == '}') return Close(out, begin);
    for (;;) {
      SkipSpace();
      if (Peek() != '"') Fail(At() ? "expected a field name" : "the line ends inside an object");
      JsonMember m;
      m.column = ColumnOf(s_, i_);
      const size_t name_at = i_;
      m.name = String();
      if (out->Find(m.name)) Fail(fmt::format("field `{}` appears twice", m.name), name_at, false);
      SkipSpace();
      if (Peek() != ':') Fail(At() ? "expected `:`" : "the line ends inside an object");
      ++i_;
      Value(&m.value, depth);
      out->members.push_back(std::move(m));
      SkipSpace();
      if (Peek() == ',') {
        ++i_;
        continue;
      }
      if (Peek() == '}') return Close(out, begin);
      Fail(At() ? "expected `,` or `}`" : "the line ends inside an object");
    }
  }

  void End() {
    SkipSpace();
    if (At()) Fail("text after the object");
  }

 private:
  bool At() const { return i_ < s_.size(); }
  char Peek() const { return At() ? s_[i_] : '\0'; }
  void SkipSpace() {
    while (At() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\r')) ++i_;
  }
  [[noreturn]] void Fail(std::string message, size_t offset, bool json = true) const {
    throw Failure{offset, json ? "invalid JSON: " + message : std::move(message)};
  }
  [[noreturn]] void Fail(std::string message) const { Fail(std::move(message), i_); }

  void Start(JsonValue* v, JsonValue::Kind kind) const {
    v->kind = kind;
    v->column = ColumnOf(s_, i_);
  }
  void Close(JsonValue* out, size_t begin) {
    ++i_;
    out->raw.assign(s_.substr(begin, i_ - begin));
  }

  void Value(JsonValue* v, int depth) {
    SkipSpace();
    if (!At()) Fail("the line ends inside an object");
    const char c = Peek();
    const size_t begin = i_;
    if (c == '{') {
      Object(v, depth + 1);
      return;
    }
    if (c == '"') {
      Start(v, JsonValue::Kind::kString);
      v->text = String();
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      Start(v, JsonValue::Kind::kNumber);
      Number();
      v->text.assign(s_.substr(begin, i_ - begin));
    } else if (Literal("true")) {
      Start(v, JsonValue::Kind::kTrue);
      i_ += 4;
    } else if (Literal("false")) {
      Start(v, JsonValue::Kind::kFalse);
      i_ += 5;
    } else if (Literal("null")) {
      Start(v, JsonValue::Kind::kNull);
      i_ += 4;
    } else {
      Fail("expected a value (a string, number, object, true, false or null)");
    }
    v->raw.assign(s_.substr(begin, i_ - begin));
  }

  bool Literal(std::string_view word) const { return s_.substr(i_, word.size()) == word; }

  void Digits() {
    if (!(Peek() >= '0' && Peek() <= '9')) Fail("a bad number");
    while (Peek() >= '0' && Peek() <= '9') ++i_;
  }
  void Number() {
    if (Peek() == '-') ++i_;
    if (Peek() == '0') {
      ++i_;
      if (Peek() >= '0' && Peek() <= '9') Fail("a bad number (a leading zero)");
    } else {
      Digits();
    }
    if (Peek() == '.') {
      ++i_;
      Digits();
    }
    if (Peek() == 'e' || Peek() == 'E') {
      ++i_;
      if (Peek() == '+' || Peek() == '-') ++i_;
      Digits();
    }
  }

  unsigned Hex4() {
    unsigned v = 0;
    for (int k = 0; k < 4; ++k, ++i_) {
      const char c = Peek();
      v <<= 4;
      if (c >= '0' && c <= '9') v |= static_cast<unsigned>(c - '0');
      else if (c >= 'a' && c <= 'f') v |= static_cast<unsigned>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') v |= static_cast<unsigned>(c - 'A' + 10);
      else Fail("a bad escape in a string", escape_);
    }
    return v;
  }
  static void AppendUtf8(std::string* out, unsigned cp) {
    // Lone surrogates are encoded too: the caller's UTF-8 check refuses them.
    if (cp < 0x80) {
      *out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      *out += static_cast<char>(0xc0 | (cp >> 6));
      *out += static_cast<char>(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      *out += static_cast<char>(0xe0 | (cp >> 12));
      *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      *out += static_cast<char>(0x80 | (cp & 0x3f));
    } else {
      *out += static_cast<char>(0xf0 | (cp >> 18));
      *out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
      *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      *out += static_cast<char>(0x80 | (cp & 0x3f));
    }
  }

  // A string at i_ (its opening quote); returns its decoded text.
  std::string String() {
    std::string out;
    ++i_;
    for (;;) {
      if (!At()) Fail("the line ends inside a string");
      const char c = s_[i_];
      if (c == '"') {
        ++i_;
        return out;
      }
      if (static_cast<unsigned char>(c) < 0x20) Fail("a control character in a string");
      if (c != '\\') {
        out += c;
        ++i_;
        continue;
      }
      escape_ = i_++;
      switch (Peek()) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          ++i_;
          unsigned cp = Hex4();
          if (cp >= 0xd800 && cp <= 0xdbff && Literal("\\u")) {
            const size_t save = i_;
            i_ += 2;
            const unsigned low = Hex4();
            if (low >= 0xdc00 && low <= 0xdfff) cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
            else i_ = save;  // not a pair: the high half stays alone
          }
          AppendUtf8(&out, cp);
          continue;
        }
        default: Fail("a bad escape in a string", escape_);
      }
      ++i_;
    }
  }

  std::string_view s_;
  size_t i_ = 0, escape_ = 0;
};

}  // namespace

const JsonMember* JsonValue::Find(std::string_view name) const {
  for (const auto& m : members)
    if (m.name == name) return &m;
  return nullptr;
}

bool ParseJsonObjectLine(std::string_view line, JsonValue* out, JsonError* error) {
  if (const size_t bad = FindInvalidUtf8(line); bad != std::string_view::npos) {
    *error = {ColumnOf(line, bad), "invalid UTF-8 or a NUL byte"};
    return false;
  }
  Parser parser(line);
  try {
    *out = JsonValue();
    parser.Object(out, 1);
    parser.End();
    return true;
  } catch (const Failure& f) {
    *error = {ColumnOf(line, f.offset), f.message};
    return false;
  }
}

}  // namespace docket::cli
