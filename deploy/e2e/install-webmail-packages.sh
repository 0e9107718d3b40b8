#!/usr/bin/env bash
# Installs what WebmailIT drives on top of the mail software (Debian 12 packages): Roundcube 1.6
# with its SQLite driver, the PHP CLI (its built-in web server serves Roundcube in the test), PHP's
# curl, and headless Chromium with Debian's chromedriver for Selenium (no browser download).
# Idempotent: does nothing when everything is there. Roundcube's database is not configured by the
# package (dbconfig is preseeded off); the test writes its own config and SQLite file.
set -euo pipefail
source "$(dirname "$0")/apt-packages.sh"

packages=(roundcube-core roundcube-sqlite3 php-cli php-curl php-sqlite3 php-mbstring php-intl php-xml
  chromium chromium-driver)

installed() {
  [ -e /usr/share/roundcube/index.php ] && command -v php >/dev/null && command -v chromium >/dev/null \
    && command -v chromedriver >/dev/null \
    && php -r 'exit(function_exists("curl_init") && class_exists("PDO") && in_array("sqlite", PDO::getAvailableDrivers()) ? 0 : 1);'
}

preseed() {
  echo "roundcube-core roundcube/dbconfig-install boolean false" | debconf-set-selections
  echo "roundcube-core roundcube/reconfigure-webserver multiselect" | debconf-set-selections
}

ensure_packages install-webmail-packages installed preseed "${packages[@]}"
