#!/usr/bin/env bash
# Runs the suite (no browser, no worker) once on each of the days that most often break date logic, with this
# process's clock moved there by libfaketime. PostgreSQL and Redis keep the real clock, so the product must take
# "now" from Python, never from the database.
#
#   bash scripts/test-dates.sh                 every day below
#   bash scripts/test-dates.sh "2028-02-29 12:00:00" -k nudges   one day, a part of the suite
set -uo pipefail
cd "$(dirname "$0")/.."

DAYS=(
  "2027-03-28 00:30:00"  # British Summer Time starts at 01:00 UTC: a 23-hour day
  "2027-10-31 01:30:00"  # British Summer Time ends at 01:00 UTC: a 25-hour day
  "2027-12-31 23:30:00"  # the year ends (23:30 in the UK too)
  "2028-02-29 12:00:00"  # a leap day
  "2031-06-30 09:00:00"  # years ahead, at a month end
)
if [ "$#" -gt 0 ] && [[ "$1" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2} ]]; then
  DAYS=("$1")
  shift
fi

LIB=$(find /usr/lib -name libfaketime.so.1 -path '*faketime*' 2>/dev/null | grep -v MT | head -n 1)
if [ -z "$LIB" ]; then
  echo "libfaketime is missing: run scripts/ensure-test-services.sh (Debian package faketime)" >&2
  exit 1
fi

DATABASE_URL=${TEST_DATABASE_URL:-postgres://ltt:ltt@127.0.0.1:5432/ltt}
export DATABASE_URL
export CELERY_BROKER_URL=${TEST_BROKER_URL:-redis://127.0.0.1:6379/1}
export SECRET_KEY=test-only-not-secret DEBUG=false SECURE_SSL_REDIRECT=false

failed=()
summaries=()
for day in "${DAYS[@]}"; do
  echo "== The suite on ${day} UTC =="
  # "@" starts the clock at that moment and lets it run. The monotonic clock stays faked: with it real
  # (FAKETIME_DONT_FAKE_MONOTONIC=1) Python's time.sleep fails with EINVAL.
  log=$(mktemp)
  LD_PRELOAD="$LIB" FAKETIME="@${day}" TZ=UTC \
    .venv/bin/pytest -p no:cacheprovider -q -m "not e2e and not integration" "$@" 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  summaries+=("${day} UTC: $(tail -n 1 "$log")")
  rm -f "$log"
  [ "$status" -eq 0 ] || failed+=("$day")
done

echo
echo "== Summary =="
printf '%s\n' "${summaries[@]}"
if [ "${#failed[@]}" -gt 0 ]; then
  echo "Failed on: ${failed[*]}" >&2
  exit 1
fi
