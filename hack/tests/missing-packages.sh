#!/usr/bin/env bash
# Regression test for missing_packages (hack/openstack/lib.sh), the package detection of hack/openstack-up: on a
# machine where none of the packages were ever installed, dpkg-query exits 1, and under `set -euo pipefail` that once
# ended hack/openstack-up silently before it installed anything. Runs against this machine's real dpkg (names it has
# never seen, and packages every Debian has), and against canned dpkg answers for the statuses a machine can show.
# Prints one line per case and exits non-zero if any failed.
set -euo pipefail
# shellcheck source=../openstack/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../openstack/lib.sh"
trap - ERR
passed=0 failed=0
check() { # check NAME "EXPECTED MISSING" PKG...
  local name=$1 want=$2 got rc=0; shift 2
  # exactly as hack/openstack-up calls it: under set -euo pipefail, in a process substitution
  got=$(set -euo pipefail; mapfile -t m < <(missing_packages "$@"); echo "${m[*]:-}") || rc=$?
  if [ $rc = 0 ] && [ "$got" = "$want" ]; then
    passed=$((passed + 1)); echo "ok   $name"
  else
    failed=$((failed + 1)); echo "FAIL $name: missing [$got] (exit $rc), expected [$want]"
  fi
}
NONE1=shiftstack-test-never-installed-a NONE2=shiftstack-test-never-installed-b
check "none installed (real dpkg-query, exits 1)" "$NONE1 $NONE2" "$NONE1" "$NONE2"
check "some installed (real dpkg-query)" "$NONE1" bash "$NONE1" coreutils
check "all installed (real dpkg-query)" "" bash coreutils dpkg
# canned answers: "ii" is installed; removed with its configuration left ("rc"), known but not installed ("un"),
# half-installed ("iH") and not mentioned at all are missing; dpkg-query's exit status does not matter.
dpkg-query() { printf 'ii  pkg-a\nrc  pkg-b\nun  pkg-c\niH  pkg-d\n'; return 1; }
check "statuses ii/rc/un/iH and unknown (canned, exit 1)" "pkg-b pkg-c pkg-d pkg-e" pkg-a pkg-b pkg-c pkg-d pkg-e
dpkg-query() { printf 'ii  pkg-a\nii  pkg-b\n'; }
check "all installed (canned, exit 0)" "" pkg-a pkg-b
dpkg-query() { return 2; }
check "dpkg-query fails outright: everything is missing (apt-get then says what is wrong)" "pkg-a" pkg-a
unset -f dpkg-query
echo "missing-packages: $passed passed, $failed failed"
[ $failed = 0 ]
