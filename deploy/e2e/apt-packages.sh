# Sourced by the install-*-packages.sh scripts (Debian 12): the install-unless-present steps they share.

# ensure_packages NAME CHECK PRESEED PACKAGE...
# Does nothing when the command CHECK succeeds. Otherwise, as root, runs the command PRESEED (its
# debconf selections), installs the PACKAGEs without starting their daemons, and fails unless
# CHECK succeeds afterwards. NAME prefixes the error messages.
ensure_packages() {
  local name=$1 check=$2 preseed=$3
  shift 3
  if "$check"; then
    return 0
  fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "$name: not root, cannot install: $*" >&2
    return 1
  fi
  "$preseed"
  bash "$(dirname "${BASH_SOURCE[0]}")/apt-install-without-daemons.sh" "$@"
  "$check" || { echo "$name: packages installed but something is missing" >&2; return 1; }
}
