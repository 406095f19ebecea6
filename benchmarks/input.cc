#include "benchmarks/input.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>

#include "benchmarks/workload.h"

namespace docket::bench {
namespace {

// Docket's slot order within a year: 2024, H1, Q1, 01, 02, 03, Q2, 04, 05,
// 06, H2, Q3, 07, 08, 09, Q4, 10, 11, 12.
const char* const kSlots[] = {"",    "-H1", "-Q1", "-01", "-02", "-03", "-Q2", "-04", "-05", "-06",
                              "-H2", "-Q3", "-07", "-08", "-09", "-Q4", "-10", "-11", "-12"};

bool Digits(const std::string& s, size_t from, size_t n) {
  if (s.size() < from + n) return false;
  for (size_t k = from; k < from + n; ++k)
    if (s[k] < '0' || s[k] > '9') return false;
  return true;
}

int DaysInMonth(int y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

}  // namespace

bool ReadDefinitions(const std::string& path, std::vector<std::string>* charges,
                     std::vector<SourceDefinition>* sources, std::string* error) {
  std::ifstream in(path);
  if (!in) {
    *error = "cannot open " + path;
    return false;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  static const std::regex kStatement(R"(define\s+(charge|source)\s+([A-Za-z][A-Za-z0-9_]*)([^;]*);)");
  static const std::regex kPriority(R"(priority\s+(-?[0-9]+))");
  for (std::sregex_iterator it(text.begin(), text.end(), kStatement), end; it != end; ++it) {
    if ((*it)[1] == "charge") {
      charges->push_back((*it)[2]);
    } else {
      SourceDefinition s{(*it)[2], 0};
      std::smatch m;
      const std::string rest = (*it)[3];
      if (std::regex_search(rest, m, kPriority)) s.priority = std::stoll(m[1]);
      sources->push_back(s);
    }
  }
  return true;
}

int32_t ParsePeriod(const std::string& text) {
  if (!Digits(text, 0, 4)) return -1;
  const int year = std::stoi(text.substr(0, 4));
  const std::string rest = text.substr(4);
  for (int slot = 0; slot < 19; ++slot)
    if (rest == kSlots[slot]) return year * 32 + slot;
  return -1;
}

std::string PeriodText(int32_t period) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d", period / 32);
  return buf + std::string(kSlots[period % 32]);
}

bool ParseReported(const std::string& t, int32_t* day, int32_t* prec) {
  if (!Digits(t, 0, 4)) return false;
  const int y = std::stoi(t.substr(0, 4));
  if (t.size() == 4) {
    *day = Days(y, 12, 31);
    *prec = 0;
    return true;
  }
  if (t.size() < 7 || t[4] != '-' || !Digits(t, 5, 2)) return false;
  const int m = std::stoi(t.substr(5, 2));
  if (m < 1 || m > 12) return false;
  if (t.size() == 7) {
    *day = Days(y, m, DaysInMonth(y, m));
    *prec = 1;
    return true;
  }
  if (t.size() != 10 || t[7] != '-' || !Digits(t, 8, 2)) return false;
  const int d = std::stoi(t.substr(8, 2));
  if (d < 1 || d > DaysInMonth(y, m)) return false;
  *day = Days(y, m, d);
  *prec = 2;
  return true;
}

std::string ReportedText(int32_t day, int32_t prec) {
  const std::string full = DayText(day);
  return full.substr(0, prec == 0 ? 4 : prec == 1 ? 7 : 10);
}

std::string FigureText(int bound, uint64_t value) {
  static const char* const kPrefix[] = {"", ">=", "<=", "~"};
  if (bound == kRetracted) return "";
  return kPrefix[bound] + std::to_string(value);
}

CsvInput::~CsvInput() {
  if (f_) std::fclose(f_);
}

int CsvInput::Get() {
  if (pos_ == size_) {
    if (buf_.empty()) buf_.resize(1 << 22);
    size_ = std::fread(buf_.data(), 1, buf_.size(), f_);
    pos_ = 0;
    if (size_ == 0) return EOF;
  }
  return static_cast<unsigned char>(buf_[pos_++]);
}

// One record into `fields`; false at the end of input.
bool CsvInput::Record(std::vector<std::string>* fields) {
  size_t n = 0;
  auto field = [&]() -> std::string& {
    if (fields->size() <= n) fields->emplace_back();
    std::string& f = (*fields)[n];
    f.clear();
    return f;
  };
  int c = Get();
  if (c == EOF) return false;
  std::string* cur = &field();
  bool quoted = false, any = true;
  for (;; c = Get()) {
    if (quoted) {
      if (c == EOF) break;
      if (c == '"') {
        const int d = Get();
        if (d == '"') {
          cur->push_back('"');
          continue;
        }
        quoted = false;
        c = d;
      } else {
        if (c == '\n') ++line_;
        cur->push_back(static_cast<char>(c));
        continue;
      }
    }
    if (c == EOF || c == '\n') break;
    if (c == '\r') continue;
    if (c == ',') {
      ++n;
      cur = &field();
    } else if (c == '"' && cur->empty()) {
      quoted = true;
    } else {
      cur->push_back(static_cast<char>(c));
    }
  }
  ++line_;
  fields->resize(n + 1);
  return any;
}

bool CsvInput::Open(const std::string& path, std::string* error) {
  f_ = std::fopen(path.c_str(), "rb");
  if (!f_) {
    *error = "cannot open " + path + ": " + std::strerror(errno);
    return false;
  }
  if (!Record(&fields_)) {
    *error = path + ": empty file";
    return false;
  }
  for (int i = 0; i < static_cast<int>(fields_.size()); ++i) {
    const std::string& h = fields_[static_cast<size_t>(i)];
    if (h == "charge") charge_ = i;
    else if (h == "period") period_ = i;
    else if (h == "value") value_ = i;
    else if (h == "source") source_ = i;
    else if (h == "reported") reported_ = i;
    else if (h == "note") note_ = i;
    else if (h == "url") url_ = i;
    else if (h == "bound") bound_ = i;
    else labels_.emplace_back(h, i);
  }
  std::sort(labels_.begin(), labels_.end());
  if (charge_ < 0 || period_ < 0 || value_ < 0 || source_ < 0 || reported_ < 0) {
    *error = path + ": missing a required column";
    return false;
  }
  return true;
}

bool CsvInput::Next(InputRow* row, std::string* error) {
  const uint64_t line = line_;
  if (!Record(&fields_)) return false;
  auto bad = [&](const std::string& what) {
    *error = "line " + std::to_string(line) + ": " + what;
    return false;
  };
  if (fields_.size() == 1 && fields_[0].empty()) return Next(row, error);
  auto at = [&](int col) -> const std::string& {
    static const std::string kEmpty;
    return col >= 0 && static_cast<size_t>(col) < fields_.size() ? fields_[static_cast<size_t>(col)] : kEmpty;
  };
  row->charge = at(charge_);
  row->series = row->charge;
  bool first = true;
  for (const auto& [key, col] : labels_) {
    const std::string& v = at(col);
    if (v.empty()) continue;
    row->series += first ? "{" : ", ";
    first = false;
    row->series += key;
    row->series += "=\"";
    for (char ch : v) {
      if (ch == '"' || ch == '\\') row->series += '\\';
      row->series += ch;
    }
    row->series += '"';
  }
  if (!first) row->series += '}';
  row->period = ParsePeriod(at(period_));
  if (row->period < 0) return bad("bad period");
  std::string v = at(value_);
  row->bound = kEq;
  if (v == "retracted") {
    row->bound = kRetracted;
    row->value = 0;
  } else {
    size_t skip = 0;
    if (v.rfind(">=", 0) == 0) row->bound = kGe, skip = 2;
    else if (v.rfind("<=", 0) == 0) row->bound = kLe, skip = 2;
    else if (v.rfind("~", 0) == 0) row->bound = kApprox, skip = 1;
    else if (v.rfind("=", 0) == 0) skip = 1;
    while (skip < v.size() && v[skip] == ' ') ++skip;
    if (skip >= v.size() || !Digits(v, skip, v.size() - skip)) return bad("bad value");
    row->value = std::stoull(v.substr(skip));
    if (bound_ >= 0 && !at(bound_).empty()) {
      const std::string& b = at(bound_);
      row->bound = b == ">=" ? kGe : b == "<=" ? kLe : b == "~" ? kApprox : kEq;
    }
  }
  row->source = at(source_);
  if (!ParseReported(at(reported_), &row->day, &row->prec)) return bad("bad reported date");
  row->note = at(note_);
  row->url = at(url_);
  return true;
}

}  // namespace docket::bench
