#!/bin/sh
# docket-textfile.sh: write the current resolved figure of every cell of a
# docket archive for node_exporter's textfile collector.
#
#   docket-textfile.sh [TEXTFILE_DIR]
#
#   TEXTFILE_DIR  node_exporter's --collector.textfile.directory (default:
#                 Debian's /var/lib/prometheus/node-exporter).
#   The archive is $DOCKET_DB (or docket's default); $DOCKET names the binary.
#
# docket writes a temporary file beside docket.prom and renames it, so the
# collector never reads half a file; on an error the old file stays.
set -eu

dir=${1:-/var/lib/prometheus/node-exporter}
exec "${DOCKET:-docket}" export --format openmetrics -o "$dir/docket.prom"
