#!/usr/bin/env bash
# Regenerates court_data.csv (docket's import format) from the Dostoevsky
# extract of Judicial Department statistics:
#   examples/court-data/convert.sh ../shared/data/ru/dostoevsky_treason_espionage_2009_2020.csv > court_data.csv
# Treason (275) and espionage (276) map one to one. State secrets covers
# articles 283, 283.1 and 284 but the extract holds only some of their
# parts, so their sum is recorded as a lower bound (>=).
set -euo pipefail
awk -F, '
# The file a figure was read from: commit and path without their remarks.
function url(repo, path, commit) {
  sub(/ .*/, "", path); sub(/ .*/, "", commit)
  return "https://github.com/" repo "/blob/" commit "/" path
}
NR == 1 { print "charge,period,value,source,reported,note,url"; next }
{
  article = $1; year = $2; convicted = $3; link = url($6, $7, $8)
  reported = year + 1
  if (article == "275" || article == "276") {
    charge = article == "275" ? "treason" : "espionage"
    printf "%s,%s,%s,JudicialDept,%s,\"totalConvicted, main article; date inferred (annual report of the following year)\",%s\n", charge, year, convicted, reported, link
  } else {
    secrets[year] += convicted; parts[year] = parts[year] (parts[year] == "" ? "" : " + ") article; links[year] = link
  }
}
END {
  for (year in secrets)
    printf "state_secrets,%s,>=%s,JudicialDept,%s,\"only %s in the extract: at least the charge'"'"'s count; date inferred\",%s\n", year, secrets[year], year + 1, parts[year], links[year] | "sort"
}' "$1"
