#!/usr/bin/env bash
# Readies a machine of the project's kind for the test suite (./mvnw verify): starts the local
# PostgreSQL if it is stopped, installs oathtool (the independent authenticator TwoFactorIT checks
# codes with), the mail software MailServersIT drives and the webmail WebmailIT drives (Roundcube,
# PHP, headless Chromium). Idempotent; installing needs root.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  echo "PostgreSQL is not accepting connections; starting it"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n 1)" main start
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi

if ! command -v oathtool >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends oathtool
fi
bash deploy/e2e/install-mail-packages.sh
bash deploy/e2e/install-webmail-packages.sh
