#!/usr/bin/env bash
# Installs Debian packages (the arguments) without letting their postinst scripts start system
# daemons: a policy-rc.d forbids it during the install and is restored afterwards. Used by the
# install-*-packages.sh scripts (through apt-packages.sh); the tests run their own instances on loopback high ports.
set -euo pipefail

policy=/usr/sbin/policy-rc.d
had_policy=false
[ -e "$policy" ] && had_policy=true && cp -p "$policy" "$policy.twofold-saved"
printf '#!/bin/sh\nexit 101\n' > "$policy"
chmod 755 "$policy"
restore_policy() {
  if $had_policy; then mv -f "$policy.twofold-saved" "$policy"; else rm -f "$policy"; fi
}
trap restore_policy EXIT

export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "$@"
