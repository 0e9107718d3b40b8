#!/usr/bin/env bash
# Mints a bearer token that the dev profile trusts, signed with the throwaway test IdP key.
#   deploy/local/mint-token.sh alice@example.com          # the account owner, signed in just now
#   deploy/local/mint-token.sh helpdesk twofold-admin     # an admin tool
#   deploy/local/mint-token.sh imap-01 twofold-mail-server
set -euo pipefail
cd "$(dirname "$0")/../.."
subject=${1:?usage: mint-token.sh SUBJECT [GROUP]}
group=${2:-}
key=src/test/resources/keys/idp-private.pem
now=$(date +%s)

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
header=$(printf '{"alg":"RS256","typ":"JWT"}' | b64url)
groups=""
[ -n "$group" ] && groups=",\"groups\":[\"$group\"]"
payload=$(printf '{"iss":"https://idp.twofold.test","sub":"%s","iat":%d,"exp":%d,"auth_time":%d%s}' \
  "$subject" "$now" $((now + 3600)) "$now" "$groups" | b64url)
signature=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign "$key" -binary | b64url)
printf '%s.%s.%s\n' "$header" "$payload" "$signature"
