#!/usr/bin/env bash
# Installs the mail software the end-to-end tests drive (Debian 12 packages): NGINX with its mail
# module, Dovecot with IMAP, POP3 and the Lua passdb, Postfix, swaks and curl. Idempotent: does
# nothing when every binary is already there. Daemons are never started by the packages: a
# policy-rc.d forbids it during the install, and Postfix is preseeded to "No configuration"; the
# tests run their own instances on loopback high ports.
set -euo pipefail
source "$(dirname "$0")/apt-packages.sh"

packages=(nginx libnginx-mod-mail dovecot-core dovecot-imapd dovecot-pop3d dovecot-auth-lua postfix swaks curl)

installed() {
  command -v nginx >/dev/null && command -v dovecot >/dev/null && command -v postfix >/dev/null \
    && command -v swaks >/dev/null && command -v curl >/dev/null \
    && [ -e /usr/lib/nginx/modules/ngx_mail_module.so ] \
    && [ -e /usr/lib/dovecot/modules/auth/libauthdb_lua.so ] \
    && [ -e /usr/lib/dovecot/imap ] && [ -e /usr/lib/dovecot/pop3 ]
}

preseed() {
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  echo "postfix postfix/mailname string localhost" | debconf-set-selections
}

ensure_packages install-mail-packages installed preseed "${packages[@]}"
