# shellcheck shell=bash
# Sourced by every script under hack/: no script ends non-zero without saying why. When a command fails
# under `set -e`, one line names the script, the line, the command, its exit status and where the logs are
# (ON_ERROR_LOG, set by the script; hack/openstack/lib.sh points it at the local cloud's log directory).
# Failures a script reports itself (die, usage) exit through `exit`, which this trap does not see.
set -E
_on_error_script=${0#"${OS_REPO:-$(cd "$(dirname "$0")/.." 2>/dev/null && pwd -P)}/"}
_on_error() {
  local rc=$1 line=$2 cmd=$3
  # A failure inside a subshell or command substitution is reported once, by the shell that sees it fail.
  [ "${BASH_SUBSHELL:-0}" = 0 ] || return 0
  # Only where the failure ends the script (set -e); a clean-up that runs with `set +e` goes on quietly.
  [[ $- == *e* ]] || return 0
  printf '\nERROR: %s: line %s: `%s` failed (exit %s)%s\n' "$_on_error_script" "$line" "$cmd" "$rc" \
    "${ON_ERROR_LOG:+; logs: $ON_ERROR_LOG}" >&2
}
trap '_on_error $? $LINENO "$BASH_COMMAND"' ERR
