#!/usr/bin/env python3
"""Writes the seed corpora under fuzz/corpus/TARGET from the docs, the
examples and the tests (run from anywhere; replaces the corpora). Seeds are
starting points for libFuzzer, not tests: nothing asserts on them."""
import hashlib, pathlib, re, struct

root = pathlib.Path(__file__).resolve().parent.parent
corpus = root / "fuzz" / "corpus"
MAX_SEEDS = 300


def cxx_strings(text):
    """The C++ string literals of `text`, escapes decoded."""
    out = []
    for m in re.finditer(r'"((?:[^"\\\n]|\\.)*)"', text):
        s = m.group(1)
        s = re.sub(r'\\(.)', lambda e: {"n": "\n", "t": "\t", "r": "\r", "0": "\0"}.get(e.group(1), e.group(1)), s)
        out.append(s)
    return out


def statements(text):
    """Statements of a script: split after `;` at a line end; comments kept."""
    return [s.strip() + "\n" for s in re.split(r";\s*\n", text) if s.strip()]


def write(target, seeds):
    d = corpus / target
    d.mkdir(parents=True, exist_ok=True)
    for f in d.iterdir():
        f.unlink()
    unique = list(dict.fromkeys(s if isinstance(s, bytes) else s.encode() for s in seeds))[:MAX_SEEDS]
    for s in unique:
        (d / hashlib.sha1(s).hexdigest()).write_bytes(s)
    print(f"{target}: {len(unique)} seeds")


# ---- statements: docs' code blocks, the example scripts, the query tests' inputs
stmts = []
for md in sorted((root / "docs").glob("*.md")):
    for block in re.findall(r"```[a-z]*\n(.*?)```", md.read_text(), re.S):
        stmts += statements(block)
for dk in sorted(root.glob("examples/**/*.dk")):
    stmts += statements(dk.read_text())
for test in ["grammar_test.cc", "check_test.cc", "resolve_test.cc"]:
    keywords = ("define", "record", "retract", "show", "assert", "check", "changes", "plot", "describe")
    stmts += [s for s in cxx_strings((root / "tests/query" / test).read_text())
              if s.split(" ", 1)[0] in keywords or "[" in s]
# Whole files too: several statements, comments, line breaks.
stmts += [dk.read_text() for dk in sorted(root.glob("examples/**/*.dk"))][:3]
write("statement", stmts)

# ---- csv: the example import, and the shapes the reader treats specially
court = (root / "examples/court-data/court_data.csv").read_text().splitlines(keepends=True)
csv = [
    "".join(court[:4]),
    "charge,period,value,source,reported\ntreason,2024,145,IStories,2025-04\n",
    "charge,period,value,bound,source,reported,citizenship\r\nespionage,2024,28,>=,RTVI,2024-12,UA\r\n",
    '\ufeffcharge,period,value\n"tre""ason",2024,"1\n45"\n',
    'a,"b\nc",d\n,,\n\n"x"y,z\n"unterminated\n',
    "only\rcr\r\nend",
    'a "quote",b\n',
]
write("csv", csv)

# ---- restore: backups as cli/export.cc writes them
head = '{"type":"docket-backup","format":1}\n'
charge = '{"type":"charge","name":"treason","title":"High treason","article":"275"}\n'
source = '{"type":"source","name":"IStories","title":"Important Stories","url":"https://istories.media","priority":10}\n'
version = ('{"type":"version","charge":"treason","labels":{%s},"period":"%s","source":"IStories",'
           '"reported":"%s","recorded":"%s","value":%s,"bound":%s,"note":"%s","url":""}\n')
restore = [
    head,
    head + charge + source,
    head + charge + source + version % ("", "2024", "2025-04", "2025-04-17T10:00:00.000000Z", "145", '"="', "court data"),
    head + charge + source
    + version % ('"citizenship":"UA"', "2024-H1", "2024-12-20", "2025-01-01T00:00:00.000001Z", "18", '">="', "")
    + version % ('"citizenship":"UA"', "2024-H1", "2024-12-20", "2025-01-02T00:00:00Z", "null", "null", "retracted"),
    head + charge + source + version % ("", "2024-07", "2025", "2025-02-01T00:00+03:00", "9007199254740991", '"~"', "") * 2,
    '{"type":"docket-backup","format":2}\n',
    head + '{"type":"version"}\n',
    head + "not json\n\n[]\n",
]
write("restore", restore)

# ---- http: requests as fuzz/http_fuzzer.cc reads them (request line,
# header lines, a blank line, the body), one per endpoint and error case
http = [
    "GET /healthz\n",
    "GET /metrics\n",
    "GET /api/v1/query?q=treason%5B2024%5D\n",
    "GET /api/v1/query?q=treason[2023..2024]+by+source&format=csv\n",
    "GET /api/v1/query?q=treason%5B2024&format=json\n",
    "GET /api/v1/query?q=tresaon[2024]&format=table\n",
    "GET /api/v1/query?format=xml&q=espionage[2024]\n",
    "GET /api/v1/query\n",
    "GET /api/v1/query?q=assert+treason[2024]+>+200;+check+growth(treason[2023..2024])+warn+>+1&format=tsv\n",
    "GET /api/v1/query?q=define+charge+bribery\n",
    "POST /api/v1/query?format=markdown\nContent-Type: text/plain\n\ntreason[2024]; espionage[2024]\n",
    "POST /api/v1/script\nContent-Type: text/plain\n\ntreason[2024]\n",
    "POST /api/v1/script\nAuthorization: Bearer s3cret-token\nContent-Type: text/plain\n\n"
    "record treason[2025] = 1 from RTVI on 2025-06\n",
    "POST /api/v1/import?dry_run=1\nContent-Type: text/csv\n\ncharge,period,value,source,reported\ntreason,2022,16,RTVI,2024\n",
    "POST /api/v1/import\nContent-Type: application/x-ndjson\n\n" + head,
    "POST /api/v1/import?dry_run=2\nContent-Type: text/csv; charset=utf-8\n\n",
    "GET /api/v1/export?format=jsonl\n",
    "GET /api/v1/export?format=openmetrics\n",
    "GET /api/v1/export?format=%ZZ%2\n",
    "DELETE /api/v2/nothing?a&b=&=c\n",
]
write("http", http)

# ---- literals: periods, dates, timestamps, valid and almost valid
literals = [
    "2024", "2024-H1", "2024-H2", "2024-Q3", "2024-07", "2024-12", "0000", "9999-12",
    "2024-12-20", "2024-02-29", "2023-02-29", "2025-04", "9999-12-31", "0000-01-01",
    "2025-03-01T12:00Z", "2025-11-01T00:00:00Z", "2025-04-17T10:00:00.123456Z",
    "2025-01-01T00:00+03:00", "2024-12-31T23:59:59.999999-14:00", "9999-12-31T23:59:59.999999Z",
    "0000-01-01T00:00Z", "2024-H3", "2024-Q0", "2024-13", "2024-1-1", "2024-12-20T25:00Z",
]
write("literals", literals)

# ---- key_codec: the first byte picks the decoder (key_codec_fuzzer.cc)
def report_key(series, year, slot, source, day, precision):
    return struct.pack(">IHBHIB", series, year, slot, source, day + (1 << 31), precision)

def varint(v):
    out = b""
    while v >= 0x80:
        out += bytes([v & 0x7F | 0x80])
        v >>= 7
    return out + bytes([v])

def prefixed(s):
    return varint(len(s)) + s

day = 20148  # 2025-03-01
rk = report_key(1, 2024, 0, 2, day, 2)
micros = 1740787200000000 + (1 << 63)
keys = [
    b"\x00" + rk,
    b"\x00" + report_key(0xFFFFFFFF, 9999, 18, 0xFFFF, -719468, 0),
    b"\x01" + b"R" + rk + struct.pack(">Q", ~micros & (2**64 - 1)),
    b"\x02" + b"T" + struct.pack(">Q", micros) + rk,
    b"\x03" + b"treason\x00",
    b"\x03" + b"espionage\x00citizenship\x00UA\x00region\x00Omsk\x00",
    b"\x04" + b"\x00" + varint(145),
    b"\x04" + b"\x31" + varint(2**53 - 1) + prefixed(b"note") + prefixed(b"https://x"),
    b"\x04" + b"\x04",
    b"\x05" + prefixed(b"High treason") + prefixed(b"275"),
    b"\x06" + struct.pack(">H", 3) + varint(20) + prefixed(b"IStories") + prefixed(b""),
    b"\x07" + varint(10) + varint(2**64 - 1),
    b"\x08" + struct.pack(">I", 2),
    b"\x09" + varint(300) + b"xyz",
    # A cell of three versions (tests/storage/key_codec_lookup_test.cc, kGoldenCellBytes).
    b"\x0a" + bytes([0x0E, 0x02, 0xF0, 0xA8, 0x02, 0xD0, 0x0F, 0x00, 0x05, 0x02, 0xC7, 0x01, 0x01, 0x04,
                     0x0D, 0x03, 0x02, 0x90, 0x03, 0x04]),
]
write("key_codec", keys)

# ---- dictionaries: the language's keywords (query/lexicon.cc kKeywords) and
# punctuation; the backup's field names.
block = re.search(r"kKeywords = \{(.*?)\};", (root / "query/lexicon.cc").read_text(), re.S).group(1)
tokens = re.findall(r'"([a-z]+)"', block) + [
    "[", "]", "{", "}", "(", ")", "..", "=", ">=", "<=", "~", ">", "<", "*", "/", "+", "-", ",", ";",
    "\\\"", "--", "as of", "recorded as of", "by source", "2024", "2024-H1", "2024-Q3", "2024-07",
    "2025-04-17", "2025-03-01T12:00Z", "treason", "espionage", "IStories", "RTVI", "citizenship",
]
(root / "fuzz/statement.dict").write_text("".join(f'"{t}"\n' for t in tokens))
fields = ["type", "docket-backup", "format", "charge", "source", "version", "name", "title", "article",
          "url", "priority", "labels", "period", "reported", "recorded", "value", "bound", "note", "null"]
(root / "fuzz/restore.dict").write_text("".join(f'"\\"{t}\\""\n' for t in fields))
print("dictionaries written")
