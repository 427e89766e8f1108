#!/bin/sh
# xiaoan's scheduled jobs (docs/deployment.md). Run from the project folder — systemd's
# WorkingDirectory=, or `cd` in the crontab — with the settings in the environment:
#
#   XIAOAN_WAREHOUSE   the warehouse file                       (required)
#   XIAOAN_SNAPSHOTS   the folder that receives the snapshots   (required)
#   XIAOAN_INBOX       the folder offices drop ledgers into     (nightly)
#   XIAOAN_KEEP_MONTHLY, XIAOAN_KEEP_DAILY   snapshots to keep  (36 and 31)
#
#   sh deploy/xiaoan-job.sh snapshot   the monthly snapshot, as of the last day of last month,
#                                      into $XIAOAN_SNAPSHOTS/monthly/<date>/
#   sh deploy/xiaoan-job.sh nightly    load the ledgers in $XIAOAN_INBOX (files already loaded
#                                      are recognised and skipped), then the snapshot as of
#                                      yesterday into $XIAOAN_SNAPSHOTS/daily/<date>/
#
# Each snapshot folder gets a `latest` link and a `latest.txt` naming the newest snapshot.
# Exit status 0 when done; otherwise non-zero, with the reason on one line on stderr, and the
# earlier snapshots and `latest` left as they were (cron mails it, systemd logs it).
set -eu

need() {
    eval "value=\${$1:-}"
    if [ -z "$value" ]; then
        echo "xiaoan-job: $1 is not set (see docs/deployment.md)" >&2
        exit 2
    fi
}

case "${1:-}" in
snapshot)
    need XIAOAN_WAREHOUSE
    need XIAOAN_SNAPSHOTS
    exec xiaoan export --as-of last-month-end --out "$XIAOAN_SNAPSHOTS/monthly" --keep "${XIAOAN_KEEP_MONTHLY:-36}"
    ;;
nightly)
    need XIAOAN_WAREHOUSE
    need XIAOAN_SNAPSHOTS
    need XIAOAN_INBOX
    if [ ! -d "$XIAOAN_INBOX" ]; then
        echo "xiaoan-job: the inbox $XIAOAN_INBOX is not a folder" >&2
        exit 2
    fi
    if find "$XIAOAN_INBOX" -type f \( -iname '*.xlsx' -o -iname '*.xlsm' -o -iname '*.xls' -o -iname '*.csv' \) \
            ! -name '.*' ! -name '~$*' | grep -q .; then
        xiaoan ingest "$XIAOAN_INBOX"
    else
        echo "xiaoan-job: no ledgers in $XIAOAN_INBOX: nothing to load"
    fi
    exec xiaoan export --as-of yesterday --out "$XIAOAN_SNAPSHOTS/daily" --keep "${XIAOAN_KEEP_DAILY:-31}"
    ;;
*)
    echo "xiaoan-job: usage: sh deploy/xiaoan-job.sh snapshot|nightly" >&2
    exit 2
    ;;
esac
