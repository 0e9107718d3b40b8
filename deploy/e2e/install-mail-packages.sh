#!/usr/bin/env bash
# Installs the mail software the end-to-end tests drive (Debian 12 packages): NGINX with its mail
# module, Dovecot with IMAP, POP3 and the Lua passdb, Postfix, swaks and curl. Idempotent: does
# nothing when every binary is already there. Daemons are never started by the packages: a
# policy-rc.d forbids it during the install, and Postfix is preseeded to "No configuration"; the
# tests run their own instances on loopback high ports.
set -euo pipefail

packages=(nginx libnginx-mod-mail dovecot-core dovecot-imapd dovecot-pop3d dovecot-auth-lua postfix swaks curl)

installed() {
  command -v nginx >/dev/null && command -v dovecot >/dev/null && command -v postfix >/dev/null \
    && command -v swaks >/dev/null && command -v curl >/dev/null \
    && [ -e /usr/lib/nginx/modules/ngx_mail_module.so ] \
    && [ -e /usr/lib/dovecot/modules/auth/libauthdb_lua.so ] \
    && [ -e /usr/lib/dovecot/imap ] && [ -e /usr/lib/dovecot/pop3 ]
}

if installed; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-mail-packages: not root, cannot install: ${packages[*]}" >&2
  exit 1
fi

echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
echo "postfix postfix/mailname string localhost" | debconf-set-selections
bash "$(dirname "$0")/apt-install-without-daemons.sh" "${packages[@]}"

installed || { echo "install-mail-packages: packages installed but binaries missing" >&2; exit 1; }
