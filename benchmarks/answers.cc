#include "benchmarks/answers.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "benchmarks/input.h"
#include "benchmarks/workload.h"

namespace docket::bench {

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();

// `value|source|reported` of a winner, all three empty without one.
std::string FigureFields(const Winner& w) {
  if (!w.has) return "||";
  return FigureText(w.bound, w.value) + "|" + w.source + "|" + ReportedText(w.day, w.prec);
}
}  // namespace

std::string Num(double v) {
  if (!std::isfinite(v)) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v == 0 ? 0.0 : v);
  return buf;
}

std::string FormatMicros(int64_t t) {
  const int64_t day = t >= 0 ? t / 86400000000LL : (t + 1) / 86400000000LL - 1;
  const int64_t in_day = t - day * 86400000000LL;
  const int64_t secs = in_day / 1000000, micros = in_day % 1000000;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%sT%02lld:%02lld:%02lld.%06lldZ", DayText(static_cast<int32_t>(day)).c_str(),
                static_cast<long long>(secs / 3600), static_cast<long long>(secs / 60 % 60),
                static_cast<long long>(secs % 60), static_cast<long long>(micros));
  return buf;
}

void FigureSpan(int bound, uint64_t value, double* lo, double* hi) {
  const double v = static_cast<double>(value);
  *lo = bound == kLe ? 0 : v;
  *hi = bound == kGe ? kInf : v;
}

std::string ValueLine(const std::string& series, int32_t period, const Winner& w) {
  return series + "|" + PeriodText(period) + "|" + FigureText(w.bound, w.value) + "|" + w.source + "|" +
         ReportedText(w.day, w.prec);
}

std::string VintageLine(const std::string& series, int32_t period, const std::string& vintage, const Winner& w) {
  return series + "|" + PeriodText(period) + "|" + vintage + "|" + FigureFields(w);
}

std::string DiffLine(const std::string& series, int32_t period, const std::string& change, const Winner& a,
                     const Winner& b) {
  return series + "|" + PeriodText(period) + "|" + change + "|" + FigureFields(a) + "|" + FigureFields(b);
}

std::string GrowthLine(const std::string& series, int32_t from, int32_t to, const Winner& f,
                       const Winner& t) {
  std::string lo, hi, approx = "false";
  if (f.has && t.has) {
    double flo, fhi, tlo, thi;
    FigureSpan(f.bound, f.value, &flo, &fhi);
    FigureSpan(t.bound, t.value, &tlo, &thi);
    approx = f.bound == kApprox || t.bound == kApprox ? "true" : "false";
    if (fhi == 0) {
      approx = "false";  // no value: division by exactly 0
    } else {
      // Every bound here is >= 0: to / from = [t.lo / f.hi, t.hi / f.lo].
      lo = Num(std::isinf(fhi) ? 0.0 : tlo / fhi);
      hi = flo == 0 || std::isinf(thi) ? "" : Num(thi / flo);
    }
  }
  std::string sources = f.has ? f.source : "";
  if (t.has && (!f.has || t.source != f.source)) {
    if (!sources.empty()) sources += '/';
    sources += t.source;
  }
  return series + "|" + PeriodText(from) + "|" + PeriodText(to) + "|" +
         (f.has ? FigureText(f.bound, f.value) : "") + "|" + (t.has ? FigureText(t.bound, t.value) : "") +
         "|" + lo + "|" + hi + "|" + approx + "|" + sources;
}

std::string SumLine(int32_t period, double lo, double hi, bool approx, std::vector<std::string> sources,
                    int32_t day, int32_t prec) {
  std::sort(sources.begin(), sources.end());
  sources.erase(std::unique(sources.begin(), sources.end()), sources.end());
  std::string joined;
  for (const auto& s : sources) {
    if (!joined.empty()) joined += '/';
    joined += s;
  }
  return PeriodText(period) + "|" + Num(lo) + "|" + Num(hi) + "|" + (approx ? "true" : "false") + "|" +
         joined + "|" + ReportedText(day, prec);
}

std::string RevisionLine(const std::string& series, int32_t period, const std::string& source,
                         int32_t day, int32_t prec, int64_t recorded, int bound, uint64_t value,
                         const std::string& status, const std::string& note) {
  return series + "|" + PeriodText(period) + "|" + source + "|" + ReportedText(day, prec) + "|" +
         FormatMicros(recorded) + "|" + FigureText(bound, value) + "|" + status + "|" + note;
}

std::string Diff(const Lines& a, const Lines& b) {
  const size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i)
    if (a[i] != b[i]) return "row " + std::to_string(i + 1) + ":\n    " + a[i] + "\n    " + b[i];
  if (a.size() != b.size())
    return std::to_string(a.size()) + " rows against " + std::to_string(b.size()) + " rows; first extra: " +
           (a.size() > n ? a[n] : b[n]);
  return "";
}

}  // namespace docket::bench
