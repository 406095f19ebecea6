#!/bin/sh
# docket-changes.sh: print every version recorded in a docket archive since
# the last run, one JSON object per line, and remember where it stopped.
# Meant for cron: cron mails whatever a job prints, so a run that finds
# nothing new is silent.
#
#   docket-changes.sh STATE_FILE [DOCKET OPTIONS...]
#
#   STATE_FILE   holds the watermark: the `recorded` time of the last version
#                seen. Missing on the first run: everything recorded since
#                $DOCKET_CHANGES_START (default 1970-01-01) is reported.
#   DOCKET OPTIONS  passed to docket, e.g. --db /var/lib/docket/archive
#                (else $DOCKET_DB applies). $DOCKET names the binary.
#
# Exit status: docket's (0 on success, 66 archive not found, ...); on an
# error nothing is printed and the watermark stays where it was.
set -eu

state=${1:?usage: docket-changes.sh STATE_FILE [DOCKET OPTIONS...]}
shift
docket=${DOCKET:-docket}

if [ -s "$state" ]; then
  since=$(cat "$state")
else
  since=${DOCKET_CHANGES_START:-1970-01-01}
fi

out=$(mktemp "${TMPDIR:-/tmp}/docket-changes.XXXXXX")
trap 'rm -f "$out"' EXIT

# A timestamp watermark means "strictly after": the last version seen is
# not reported again. One query, so the report and the new watermark agree.
status=0
"$docket" "$@" --format jsonl -e "changes since $since" >"$out" || status=$?
if [ "$status" -ne 0 ]; then
  exit "$status"
fi

if [ -s "$out" ]; then
  cat "$out"
  # Rows come in recorded order: the last row's `recorded` is the watermark.
  last=$(tail -n 1 "$out" | sed -n 's/.*"recorded": *"\([^"]*\)".*/\1/p')
  if [ -z "$last" ]; then
    echo "docket-changes.sh: no recorded time in docket's output" >&2
    exit 70
  fi
  printf '%s\n' "$last" >"$state.tmp"
  mv "$state.tmp" "$state"
fi
