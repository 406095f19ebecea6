// The key and value decoders of storage/key_codec.h on any bytes: no crash
// or over-read, and whatever decodes encodes back to a value that decodes
// the same (fixed-width keys: to the very same bytes). The first byte picks
// the decoder; the rest is its input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "storage/key_codec.h"

namespace {

using namespace docket;
using namespace docket::keys;

void Require(bool condition) {
  if (!condition) std::abort();
}

bool SameVersion(const Version& a, const Version& b) { return a.SameContent(b); }

void DecodeAny(uint8_t which, std::string_view in) {
  switch (which % 11) {
    case 0: {
      ReportKey r;
      if (DecodeReportKey(in, &r)) {
        std::string out;
        PutReportKey(&out, r);
        Require(out == in);
      }
      break;
    }
    case 1: {
      ReportKey r;
      Micros recorded;
      if (DecodeVersionKey(in, &r, &recorded)) Require(VersionKey(r, recorded) == in);
      break;
    }
    case 2: {
      ReportKey r;
      Micros recorded;
      if (DecodeTimeKey(in, &recorded, &r)) Require(TimeKey(recorded, r) == in);
      break;
    }
    case 3: {
      SeriesKey s, again;
      if (DecodeSeries(in, &s)) Require(DecodeSeries(EncodeSeries(s), &again) && again == s);
      break;
    }
    case 4: {
      Version v, again;
      if (DecodeVersionValue(in, &v))
        Require(DecodeVersionValue(EncodeVersionValue(v), &again) && SameVersion(v, again));
      break;
    }
    case 5: {
      Charge c, again;
      if (DecodeCharge("c", in, &c))
        Require(DecodeCharge("c", EncodeCharge(c), &again) && again.title == c.title &&
                again.article == c.article);
      break;
    }
    case 6: {
      Source s, again;
      if (DecodeSource("S", in, &s))
        Require(DecodeSource("S", EncodeSource(s), &again) && again.id == s.id &&
                again.priority == s.priority && again.title == s.title && again.url == s.url);
      break;
    }
    case 7: {
      uint64_t reports, versions, r2, v2;
      if (DecodeCounts(in, &reports, &versions))
        Require(DecodeCounts(EncodeCounts(reports, versions), &r2, &v2) && r2 == reports && v2 == versions);
      break;
    }
    case 8: {
      uint32_t version;
      if (DecodeFormatValue(in, &version)) Require(EncodeFormatValue(version) == in);
      break;
    }
    case 9: {
      std::string_view rest = in, s;
      uint64_t v;
      if (GetVarint64(&rest, &v)) {
        std::string out;
        PutVarint64(&out, v);
        std::string_view again = out;
        uint64_t v2;
        Require(GetVarint64(&again, &v2) && v2 == v && again.empty());
        Require(rest.size() < in.size());
      }
      rest = in;
      if (GetLengthPrefixed(&rest, &s)) Require(s.size() + rest.size() < in.size());
      break;
    }
    case 10: {
      // A cell: what decodes is in cell order, and encodes back to a cell
      // that decodes the same.
      const std::string key = CellKey(7, Period(2024, Grain::kYear, 1));
      std::vector<Version> cell, again;
      if (DecodeCell(key, in, &cell)) {
        for (size_t i = 1; i < cell.size(); ++i) Require(CellOrderLess(cell[i - 1], cell[i]));
        Require(DecodeCell(key, EncodeCell(cell), &again) && again.size() == cell.size());
        for (size_t i = 0; i < cell.size(); ++i)
          Require(again[i].report == cell[i].report && again[i].recorded == cell[i].recorded &&
                  SameVersion(again[i], cell[i]));
      }
      break;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  DecodeAny(data[0], std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1));
  return 0;
}
