// End-to-end: backups that prove themselves (spec §5 "Export and restore",
// v1.1). `export --format jsonl` ends with a trailer holding the counts and
// the SHA-256 of what precedes it; a restore refuses (65, FILE:LINE:COLUMN,
// nothing written) a missing or wrong trailer, a truncated file and every
// field that breaks the rules `record` applies.
#include <gtest/gtest.h>

#include <cctype>
#include <cstdio>
#include <filesystem>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/e2e/harness.h"

namespace docket::e2e {
namespace {

using Strings = std::vector<std::string>;

// Written with DOCKET_NOW=2025-11-01T00:00:00Z: the versions are stamped
// 2025-11-01T00:00:00.000000Z, .000001Z, .000002Z and .000003Z.
constexpr char kArchive[] =
    "define charge espionage article \"276\"; define source RTVI; define source IStories priority 10;"
    "record espionage[2024] >= 28 from RTVI on 2024-12 note \"first\";"
    "record espionage{citizenship=\"UA\"}[2024] <= 18 from RTVI on 2024-12;"
    "record espionage[2024] = 23 from IStories on 2025-04 url \"https://istories.media\";"
    "retract espionage[2024] from RTVI on 2025-03-01;";

// The backup of kArchive before its trailer, line by line, written by hand
// from spec §5 and the format in docs/monitoring.md.
const Strings kBody = {
    R"({"type":"docket-backup","format":1})",
    R"({"type":"charge","name":"espionage","title":"","article":"276"})",
    R"({"type":"source","name":"IStories","title":"","url":"","priority":10})",
    R"({"type":"source","name":"RTVI","title":"","url":"","priority":0})",
    R"({"type":"version","charge":"espionage","labels":{},"period":"2024","source":"RTVI","reported":"2024-12","recorded":"2025-11-01T00:00:00.000000Z","value":28,"bound":">=","note":"first","url":""})",
    R"({"type":"version","charge":"espionage","labels":{"citizenship":"UA"},"period":"2024","source":"RTVI","reported":"2024-12","recorded":"2025-11-01T00:00:00.000001Z","value":18,"bound":"<=","note":"","url":""})",
    R"({"type":"version","charge":"espionage","labels":{},"period":"2024","source":"IStories","reported":"2025-04","recorded":"2025-11-01T00:00:00.000002Z","value":23,"bound":"=","note":"","url":"https://istories.media"})",
    R"({"type":"version","charge":"espionage","labels":{},"period":"2024","source":"RTVI","reported":"2025-03-01","recorded":"2025-11-01T00:00:00.000003Z","value":null,"bound":null,"note":"","url":""})",
};
constexpr int kDefinitions = 3, kVersions = 4;

std::string Join(const Strings& lines) {
  std::string text;
  for (const auto& line : lines) text += line + "\n";
  return text;
}

Strings SplitLines(const std::string& text) {
  Strings lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The SHA-256 of `text` in lower-case hex, by coreutils' sha256sum (not
// docket's own code).
std::string Sha256(const Docket& d, const std::string& text) {
  const std::string path = d.WriteFile("to-hash", text);
  const Outcome o = RunProgram("/usr/bin/sha256sum", {path});
  EXPECT_EQ(o.exit_code, 0) << o.err;
  return o.out.substr(0, 64);
}

// `body` followed by the trailer a correct backup of it ends with.
std::string Sealed(const Docket& d, const std::string& body, int definitions = kDefinitions,
                   int versions = kVersions) {
  return body + "{\"type\":\"docket-backup-end\",\"definitions\":" + std::to_string(definitions) +
         ",\"versions\":" + std::to_string(versions) + ",\"sha256\":\"" + Sha256(d, body) + "\"}\n";
}

class BackupTest : public testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(FailureOf(source_.Query(kArchive)), ""); }

  // Restores `text` (written to bad.jsonl) into a missing archive; expects
  // exit 65, nothing on stdout, the archive still missing, and returns
  // stderr.
  std::string Refused(const std::string& text) {
    Docket target;
    file_ = target.WriteFile("bad.jsonl", text);
    const Outcome o = target.Run({"import", file_});
    EXPECT_EQ(o.exit_code, 65) << Describe(o);
    EXPECT_EQ(o.out, "");
    EXPECT_EQ(target.Fingerprint(), "<missing>");
    return o.err;
  }
  // The first line of `err`, expected to be `docket: FILE:LINE:COLUMN: message`.
  std::string FirstError(const std::string& err) const { return err.substr(0, err.find('\n')); }
  std::string At(int line, size_t column, const std::string& message) const {
    return "docket: " + file_ + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
  }

  Docket source_;
  std::string file_;
};

TEST_F(BackupTest, JsonlEndsWithATrailerCountingDefinitionsAndVersionsWithTheSha256OfWhatPrecedesIt) {
  const Outcome o = source_.Run({"export", "--format", "jsonl"});
  EXPECT_EQ(o.exit_code, 0) << Describe(o);
  const std::string body = Join(kBody);
  EXPECT_EQ(o.out, body + "{\"type\":\"docket-backup-end\",\"definitions\":3,\"versions\":4,\"sha256\":\"" +
                       Sha256(source_, body) + "\"}\n");
}

TEST_F(BackupTest, AnArchiveWithoutVersionsEndsWithAZeroVersionTrailerAndRestores) {
  Docket empty;
  ASSERT_EQ(FailureOf(empty.Query("define charge treason")), "");
  const std::string body = Join({R"({"type":"docket-backup","format":1})",
                                 R"({"type":"charge","name":"treason","title":"","article":""})"});
  const Outcome o = empty.Run({"export", "--format", "jsonl"});
  EXPECT_EQ(o.out, Sealed(empty, body, 1, 0));
  Docket target;
  const std::string backup = target.WriteFile("one.jsonl", o.out);
  const Outcome r = target.Run({"import", backup});
  EXPECT_EQ(r.exit_code, 0) << Describe(r);
  EXPECT_EQ(r.out, backup + ": 0 new, 0 corrections, 0 unchanged\n");
  EXPECT_EQ(target.Fingerprint(), empty.Fingerprint());
}

TEST_F(BackupTest, AHandSealedBackupRestoresEverything) {
  Docket target;
  const std::string backup = target.WriteFile("good.jsonl", Sealed(target, Join(kBody)));
  const Outcome o = target.Run({"import", backup});
  EXPECT_EQ(o.exit_code, 0) << Describe(o);
  EXPECT_EQ(target.Fingerprint(), source_.Fingerprint());
}

// ---------------------------------------------------------------- the trailer

TEST_F(BackupTest, MissingTrailerIsRefused) {
  const std::string err = Refused(Join(kBody));
  EXPECT_EQ(FirstError(err), At(9, 1, "no trailer line: the backup is incomplete (truncated, or not "
                                      "written by `docket export --format jsonl`)"));
}

TEST_F(BackupTest, BackupTruncatedAtALineBoundaryIsRefused) {
  const Strings head(kBody.begin(), kBody.begin() + 6);
  const std::string err = Refused(Join(head));
  EXPECT_EQ(FirstError(err), At(7, 1, "no trailer line: the backup is incomplete (truncated, or not "
                                      "written by `docket export --format jsonl`)"));
}

TEST_F(BackupTest, BackupTruncatedInsideALineIsRefused) {
  const std::string full = source_.Run({"export", "--format", "jsonl"}).out;
  const size_t cut = full.find("\"bound\":\"<=\"");  // inside line 6
  ASSERT_NE(cut, std::string::npos);
  const std::string err = Refused(full.substr(0, cut));
  EXPECT_EQ(FirstError(err), At(6, cut - Join(Strings(kBody.begin(), kBody.begin() + 5)).size() + 1,
                                "invalid JSON: the line ends inside an object"));
  EXPECT_NE(err.find(At(7, 1, "no trailer line")), std::string::npos) << err;
}

TEST_F(BackupTest, WrongChecksumIsRefused) {
  const std::string good = Sealed(source_, Join(kBody));
  std::string tampered = good;
  tampered.replace(tampered.find("\"first\""), 7, "\"fixed\"");
  const std::string err = Refused(tampered);
  const std::string trailer = SplitLines(tampered)[8];
  EXPECT_EQ(FirstError(err),
            At(9, trailer.find("\"sha256\":") + 10,
               "wrong checksum: the lines before the trailer have sha256 " +
                   Sha256(source_, tampered.substr(0, tampered.size() - trailer.size() - 1))));
}

TEST_F(BackupTest, WrongCountsAreRefused) {
  const std::string body = Join(kBody);
  std::string err = Refused(Sealed(source_, body, 4, kVersions));
  std::string trailer = SplitLines(Sealed(source_, body, 4, kVersions))[8];
  EXPECT_EQ(FirstError(err), At(9, trailer.find("\"definitions\":") + 15,
                                "the trailer counts 4 definitions, the backup holds 3"));
  err = Refused(Sealed(source_, body, kDefinitions, 3));
  trailer = SplitLines(Sealed(source_, body, kDefinitions, 3))[8];
  EXPECT_EQ(FirstError(err), At(9, trailer.find("\"versions\":") + 12,
                                "the trailer counts 3 versions, the backup holds 4"));
}

TEST_F(BackupTest, UpperCaseChecksumIsRefused) {
  std::string sealed = Sealed(source_, Join(kBody));
  const size_t sha = sealed.find("\"sha256\":\"") + 10;
  for (size_t i = sha; i < sha + 64; ++i) sealed[i] = static_cast<char>(std::toupper(sealed[i]));
  const std::string trailer = SplitLines(sealed)[8];
  const std::string err = Refused(sealed);
  EXPECT_EQ(FirstError(err),
            At(9, trailer.find("\"sha256\":") + 10, "`sha256` must be 64 lower-case hex digits"));
}

TEST_F(BackupTest, TextAfterTheTrailerIsRefused) {
  const std::string sealed = Sealed(source_, Join(kBody));
  std::string err = Refused(sealed + kBody[7] + "\n");
  EXPECT_EQ(FirstError(err), At(10, 1, "text after the trailer line"));
  err = Refused(sealed + "\n");
  EXPECT_EQ(FirstError(err), At(10, 1, "text after the trailer line"));
}

// Found by fuzzing: a line reader that stopped at a NUL lost the rest of
// the line (and read before an empty string). Lines are read by length.
TEST_F(BackupTest, ANulByteIsRefusedAtItsColumn) {
  const std::string header = "{\"type\":\"docket-backup\",\"format\":1}\n";
  std::string err = Refused(header + std::string("\0\n", 2));
  EXPECT_EQ(FirstError(err), At(2, 1, "invalid UTF-8 or a NUL byte"));
  err = Refused(header + "{\"type\":\"charge\"," + std::string("\0", 1) + "\"name\":\"x\"}\n");
  EXPECT_EQ(FirstError(err), At(2, 18, "invalid UTF-8 or a NUL byte"));
}

TEST_F(BackupTest, EmptyFileIsRefused) {
  const std::string err = Refused("");
  EXPECT_EQ(FirstError(err),
            At(1, 1, "empty file: a backup starts with {\"type\":\"docket-backup\",\"format\":1}"));
}

TEST_F(BackupTest, ABackupOfAnotherFormatIsRefused) {
  Strings lines = kBody;
  lines[0] = R"({"type":"docket-backup","format":2})";
  const std::string err = Refused(Sealed(source_, Join(lines)));
  EXPECT_EQ(FirstError(err),
            At(1, 34, "unsupported backup format `2` (this docket reads format 1)"));
}

// ---------------------------------------------------------------- fields

struct FieldCase {
  int line;                // 1-based line of kBody to change
  const char* from;        // text replaced in it
  const char* to;          // ... by this
  std::string message;     // the first error
  int column_offset = 0;   // the error's column: where `to` starts, plus this
};

// ctest shows this in test names: printable ASCII only.
void PrintTo(const FieldCase& c, std::ostream* os) {
  auto printable = [](std::string_view text) {
    std::string out;
    char hex[8];
    for (unsigned char ch : text) {
      std::snprintf(hex, sizeof hex, "\\x%02x", ch);
      out += ch > 0x20 && ch < 0x7f ? std::string(1, static_cast<char>(ch)) : std::string(hex);
    }
    return out;
  };
  *os << "line " << c.line << ": " << printable(c.from) << " -> " << printable(c.to);
}

class BackupFieldTest : public BackupTest, public testing::WithParamInterface<FieldCase> {};

TEST_P(BackupFieldTest, IsRefusedWithItsPlace) {
  const FieldCase& c = GetParam();
  Strings lines = kBody;
  std::string& line = lines[static_cast<size_t>(c.line - 1)];
  const size_t at = line.find(c.from);
  ASSERT_NE(at, std::string::npos) << c.from;
  line.replace(at, std::string(c.from).size(), c.to);
  const std::string err = Refused(Sealed(source_, Join(lines)));
  // Lines are ASCII before `to`: the byte offset is the character column.
  EXPECT_EQ(FirstError(err), At(c.line, at + 1 + static_cast<size_t>(c.column_offset), c.message)) << err;
}

constexpr char kCount[] = "a count is a whole number from 0 to 9007199254740991";
constexpr char kPriority[] = "a whole number from -9223372036854775808 to 9223372036854775807";
constexpr char kUtf8[] = "invalid UTF-8 or a NUL byte";

INSTANTIATE_TEST_SUITE_P(
    Backup, BackupFieldTest,
    testing::Values(
        // counts: whole numbers from 0 to 2^53-1, nothing rounded or read as 0
        FieldCase{5, "28", "1e30", std::string("invalid count `1e30`: ") + kCount, 0},
        FieldCase{5, "28", "1.5", std::string("invalid count `1.5`: ") + kCount},
        FieldCase{5, "28", "-1", std::string("invalid count `-1`: ") + kCount},
        FieldCase{5, "28", "9007199254740992", std::string("invalid count `9007199254740992`: ") + kCount},
        FieldCase{5, "28", "\"28\"", std::string("invalid count `\"28\"`: ") + kCount},
        FieldCase{5, "28", "true", std::string("invalid count `true`: ") + kCount},
        // a null value is a retraction only without a bound
        FieldCase{5, "28,\"bound\":\">=\"", "null,\"bound\":\">=\"", "a retraction takes no bound", 13},
        FieldCase{8, "\"bound\":null", "\"bound\":\"=\"", "a retraction takes no bound", 8},
        FieldCase{5, "\">=\"", "\"≥\"", "invalid bound `≥`: use =, >=, <= or ~"},
        FieldCase{5, "\">=\"", "null", "invalid bound `null`: use =, >=, <= or ~"},
        // priorities: 64-bit integers
        FieldCase{3, "10", "1e300", std::string("invalid priority `1e300`: ") + kPriority},
        FieldCase{3, "10", "9223372036854775808", std::string("invalid priority `9223372036854775808`: ") + kPriority},
        FieldCase{3, "10", "null", std::string("invalid priority `null`: ") + kPriority},
        FieldCase{3, "10", "1.0", std::string("invalid priority `1.0`: ") + kPriority},
        // strings: valid UTF-8 without NUL, written raw or escaped
        FieldCase{6, "\"UA\"", "\"U\\u0000A\"", kUtf8},
        FieldCase{5, "\"first\"", "\"fi\xff" "rst\"", kUtf8, 3},
        FieldCase{5, "\"first\"", "\"\\ud800\"", kUtf8},
        FieldCase{3, "\"title\":\"\"", "\"title\":\"a\\u0000\"", kUtf8, 8},
        FieldCase{2, "\"276\"", "\"2\xc0\xaf" "6\"", kUtf8, 2},
        FieldCase{7, "\"https://istories.media\"", "\"https://\\u0000\"", kUtf8},
        FieldCase{5, "\"first\"", "\"first\\x\"", "invalid JSON: a bad escape in a string", 6},
        // names: the shapes of spec §1, not reserved words or reserved label keys
        FieldCase{2, "\"espionage\"", "\"from\"", "invalid charge name `from`: [a-z][a-z0-9_]*, not a reserved word"},
        FieldCase{2, "\"espionage\"", "\"Espionage\"", "invalid charge name `Espionage`: [a-z][a-z0-9_]*, not a reserved word"},
        FieldCase{4, "\"RTVI\"", "\"R-TV\"", "invalid source name `R-TV`: [A-Za-z][A-Za-z0-9_]*, not a reserved word"},
        FieldCase{6, "\"citizenship\"", "\"source\"", "`source` is reserved and cannot be a label key"},
        FieldCase{6, "\"citizenship\"", "\"Citizenship\"", "invalid label key `Citizenship`: [a-z][a-z0-9_]*"},
        FieldCase{6, "\"UA\"", "\"\"", "label `citizenship` has an empty value"},
        FieldCase{6, "\"UA\"", "5", "label `citizenship` must be a string"},
        FieldCase{5, "\"charge\":\"espionage\"", "\"charge\":\"espionaje\"", "unknown charge `espionaje`; did you mean `espionage`?", 9},
        FieldCase{5, "\"source\":\"RTVI\"", "\"source\":\"TASS\"", "unknown source `TASS`", 9},
        // periods and dates: real ones; reported not in the future nor after the version was recorded
        FieldCase{5, "\"period\":\"2024\"", "\"period\":\"2024-Q5\"", "invalid period `2024-Q5`: use 2024, 2024-H1, 2024-Q3 or 2024-07", 9},
        FieldCase{5, "\"2024-12\"", "\"2024-02-30\"", "invalid date `2024-02-30`: use 2024-12-31, 2024-12 or 2024"},
        FieldCase{7, "\"2025-04\"", "\"2025-11-02\"", "reported date 2025-11-02 is in the future (today is 2025-11-01)"},
        FieldCase{7, "\"2025-04\"", "\"2026\"", "reported date 2026 is in the future (today is 2025-11-01)"},
        FieldCase{5, "\"recorded\":\"2025-11-01T00:00:00.000000Z\"", "\"recorded\":\"2024-11-30T23:59:59Z\"",
                  "reported date 2024-12 is after the version was recorded (2024-11-30T23:59:59.000000Z)", -10},
        // recorded: strictly increasing, a real time, before the year 10000
        FieldCase{6, "2025-11-01T00:00:00.000001Z", "2025-11-01T00:00:00.000000Z",
                  "recorded time 2025-11-01T00:00:00.000000Z is not after the previous version's "
                  "(2025-11-01T00:00:00.000000Z)", -1},
        FieldCase{8, "\"2025-11-01T00:00:00.000003Z\"", "\"9999-12-31T23:30:00-01:00\"",
                  "invalid timestamp `9999-12-31T23:30:00-01:00`: a time from 0000-01-01 to 9999-12-31 UTC, as YYYY-MM-DDThh:mm[:ss[.ffffff]]Z"},
        FieldCase{8, "\"2025-11-01T00:00:00.000003Z\"", "\"2025-13-01T00:00:00Z\"",
                  "invalid timestamp `2025-13-01T00:00:00Z`: a time from 0000-01-01 to 9999-12-31 UTC, as YYYY-MM-DDThh:mm[:ss[.ffffff]]Z"},
        // the shape of a line
        FieldCase{5, "\"note\":\"first\"", "\"nite\":\"first\"", "unknown field `nite`"},
        FieldCase{5, ",\"url\":\"\"", "", "missing field `url`", -static_cast<int>(std::string(kBody[4]).find(",\"url\":\"\""))},
        FieldCase{5, "\"note\":\"first\"", "\"note\":\"first\",\"note\":\"x\"", "field `note` appears twice", 15},
        FieldCase{5, "\"version\"", "\"versoin\"", "unknown line type `versoin`"},
        FieldCase{5, "\"value\":28,", "\"value\":28,,", "invalid JSON: expected a field name", 11},
        FieldCase{5, "{\"type\"", "[{\"type\"", "invalid JSON: expected `{`"},
        FieldCase{5, "\"first\"", "\"fi\trst\"", "invalid JSON: a control character in a string", 3},
        FieldCase{5, "28", "028", "invalid JSON: a bad number (a leading zero)", 1},
        FieldCase{5, "\"labels\":{}", "\"labels\":{\"a\":{}}", "label `a` must be a string", 14},
        FieldCase{5, "\"labels\":{}", "\"labels\":[]", "invalid JSON: expected a value (a string, number, object, true, false or null)", 9}));

// JSON escapes are read as JSON means them: a surrogate pair is one
// character, `\/` a slash.
TEST_F(BackupTest, EscapedStringsRestoreAsTheirCharacters) {
  Strings lines = kBody;
  lines[4].replace(lines[4].find("\"first\""), 7, R"("\u00e9\ud83d\ude00\n\"\\\/")");
  Docket target;
  const std::string backup = target.WriteFile("escaped.jsonl", Sealed(target, Join(lines)));
  const Outcome o = target.Run({"import", backup});
  ASSERT_EQ(o.exit_code, 0) << Describe(o);
  const Strings restored = SplitLines(target.Run({"export", "--format", "jsonl"}).out);
  ASSERT_GT(restored.size(), 4u);
  EXPECT_NE(restored[4].find(R"("note":"é😀\n\"\\/")"), std::string::npos) << restored[4];
}

// Objects nested deeper than any docket file are refused, not recursed into.
TEST_F(BackupTest, DeepNestingIsRefused) {
  Strings lines = kBody;
  std::string nested = "{}";
  for (int i = 0; i < 20; ++i) nested = "{\"a\":" + nested + "}";
  const size_t labels = kBody[4].find("\"labels\":{}") + 9;  // where the labels' object starts
  lines[4].replace(labels, 2, nested);
  const std::string err = Refused(Sealed(source_, Join(lines)));
  // The line's object is depth 1, the labels' 2: depth 9 is the 8th `{"a":` in.
  EXPECT_EQ(FirstError(err), At(5, labels + 7 * 5 + 1, "invalid JSON: objects nested too deeply"));
}

// A charge or source defined twice is not a backup docket wrote.
TEST_F(BackupTest, ADefinitionTwiceIsRefused) {
  Strings lines = kBody;
  lines.insert(lines.begin() + 2, lines[1]);
  const std::string err = Refused(Sealed(source_, Join(lines), kDefinitions + 1));
  EXPECT_EQ(FirstError(err), At(3, 25, "charge `espionage` is defined twice"));
}

// Every bad line is reported, not only the first.
TEST_F(BackupTest, EveryBadLineIsReported) {
  Strings lines = kBody;
  lines[4].replace(lines[4].find("28"), 2, "1e30");
  lines[6].replace(lines[6].find("23"), 2, "2.5");
  const std::string err = Refused(Sealed(source_, Join(lines)));
  EXPECT_NE(err.find(At(5, kBody[4].find("28") + 1, "invalid count `1e30`")), std::string::npos) << err;
  EXPECT_NE(err.find(At(7, kBody[6].find("23") + 1, "invalid count `2.5`")), std::string::npos) << err;
}

// A refused restore into an existing empty archive leaves it as it was.
TEST_F(BackupTest, RefusedRestoreIntoAnEmptyDirectoryWritesNothing) {
  Docket target;
  std::filesystem::create_directories(target.db());
  Strings lines = kBody;
  lines[4].replace(lines[4].find("28"), 2, "1e30");
  const std::string backup = target.WriteFile("bad.jsonl", Sealed(target, Join(lines)));
  const Outcome o = target.Run({"import", backup});
  EXPECT_EQ(o.exit_code, 65) << Describe(o);
  EXPECT_TRUE(std::filesystem::is_empty(target.db()));
}

}  // namespace
}  // namespace docket::e2e
