// Helpers for the key codec's golden tests: bytes written by hand, hex
// for failure messages, and the report every golden key is built from.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "storage/types.h"

namespace docket {

// Bytes from a list of values 0..255 (so NUL and high bytes read plainly).
inline std::string Bytes(std::initializer_list<int> list) {
  std::string s;
  for (int b : list) s.push_back(static_cast<char>(static_cast<unsigned char>(b)));
  return s;
}

// "46 00 ff" for failure messages.
inline std::string Hex(std::string_view s) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (!out.empty()) out += ' ';
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

#define EXPECT_BYTES(actual, expected) EXPECT_EQ(Hex(actual), Hex(expected))

// Days since 1970-01-01, worked out by hand:
//   2025-01-01: 55 years of 365 days plus 14 leap days (1972 … 2024) = 20089
//   2025-04-30: + 31 (Jan) + 28 (Feb) + 31 (Mar) + 29 = 20089 + 119 = 20208 = 0x4EF0
constexpr int32_t k2025_04_30 = 20208;

// The report used by the golden keys: series 1, period 2024-Q3, source 3,
// reported `2025-04` (a month: it stands for 2025-04-30).
inline ReportKey GoldenReport() {
  return ReportKey{1, Period(2024, Grain::kQuarter, 3), 3, Date(k2025_04_30, DatePrecision::kMonth)};
}

// Its 14 bytes: series u32, period = year u16 (2024 = 0x07E8) and slot u8
// (display order 2024, H1, Q1, 01, 02, 03, Q2, 04, 05, 06, H2, Q3: slot 11),
// source u16, day + 2^31 as u32, precision u8 (kYear 0, kMonth 1, kDay 2).
inline const std::string kGoldenReportBytes = Bytes({
    0x00, 0x00, 0x00, 0x01,  // series 1
    0x07, 0xE8, 0x0B,        // 2024-Q3
    0x00, 0x03,              // source 3
    0x80, 0x00, 0x4E, 0xF0,  // 20208 + 2^31
    0x01,                    // month precision
});

}  // namespace docket
