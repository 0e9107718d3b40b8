-- Twofold passdb for Dovecot 2.3 (>= 2.3.19, which has the dovecot.http client).
--
-- Asks Twofold's POST /v1/mail-auth/verify about every plaintext login (IMAP, POP3, and SMTP AUTH
-- when Postfix uses Dovecot SASL) and maps the decision onto the passdb chain:
--   accept        -> PASSDB_RESULT_OK                 (an active app passcode of this account)
--   reject        -> PASSDB_RESULT_PASSWORD_MISMATCH  (also: two-factor on and not a passcode)
--   use-password  -> PASSDB_RESULT_NEXT               (two-factor off: the next passdb, your
--                    existing one, checks the primary password; set use_password = reject to refuse)
--   429, 5xx, no answer, bad service token -> PASSDB_RESULT_INTERNAL_FAILURE
--                    (the client is told "Temporary authentication failure", not "wrong password")
-- See deploy/MAIL-INTEGRATION.md for the passdb chain this script needs (result_* settings).
--
-- Settings come from a key = value file, read on every login so a new token (or URL) takes effect
-- without a reload. Its path is $TWOFOLD_PASSDB_CONFIG (pass it with Dovecot's import_environment),
-- default /etc/dovecot/twofold-passdb.conf. Keys:
--   url             Twofold's verify endpoint, e.g. http://10.0.0.7:8080/v1/mail-auth/verify
--                   (an IP address, or a host name if Dovecot's dns-client socket is reachable)
--   token_file      file holding the mail-server bearer token (JWT with group twofold-mail-server)
--   timeout_msecs   give up after this long (default 5000); counts as a temporary failure
--   use_password    next (default) or reject: what "use-password" becomes
-- Keep the file and the token readable by the auth worker only (root by default, mode 0600).

local DEFAULT_CONFIG = "/etc/dovecot/twofold-passdb.conf"
local auth = dovecot.auth

-- Dovecot service names that differ from Twofold's protocol names.
local PROTOCOLS = { submission = "smtp", managesieve = "sieve" }

local clients = {}

local function read_file(path)
  local file, err = io.open(path, "r")
  if not file then
    return nil, err
  end
  local content = file:read("a")
  file:close()
  return content
end

local function load_settings()
  local path = os.getenv("TWOFOLD_PASSDB_CONFIG") or DEFAULT_CONFIG
  local content, err = read_file(path)
  if not content then
    return nil, "cannot read " .. path .. ": " .. tostring(err)
  end
  local settings = { timeout_msecs = "5000", use_password = "next" }
  for line in content:gmatch("[^\r\n]+") do
    local key, value = line:match("^%s*([%w_]+)%s*=%s*(.-)%s*$")
    if key and not line:match("^%s*#") then
      settings[key] = value
    end
  end
  if not settings.url or settings.url == "" then
    return nil, path .. " has no url"
  end
  local token, token_err = read_file(settings.token_file or "")
  token = token and token:match("^%s*(.-)%s*$")
  if not token or token == "" then
    return nil, "cannot read the service token from token_file: " .. tostring(token_err or "empty")
  end
  settings.token = token
  return settings
end

-- One HTTP client per timeout value, kept for the life of the auth worker (keeps connections open).
local function client_for(settings)
  local timeout = tonumber(settings.timeout_msecs) or 5000
  local client = clients[timeout]
  if not client then
    client = dovecot.http.client({
      user_agent = "dovecot-twofold-passdb",
      max_attempts = 1,
      max_connect_attempts = 1,
      request_timeout_msecs = timeout,
      request_absolute_timeout_msecs = timeout,
      soft_connect_timeout_msecs = timeout,
    })
    clients[timeout] = client
  end
  return client
end

local function form_encode(value)
  return (tostring(value):gsub("[^%w%-%._~]", function(c)
    return string.format("%%%02X", string.byte(c))
  end))
end

local function form(fields)
  local parts = {}
  for _, field in ipairs(fields) do
    if field[2] ~= nil and field[2] ~= "" then
      parts[#parts + 1] = field[1] .. "=" .. form_encode(field[2])
    end
  end
  return table.concat(parts, "&")
end

function auth_password_verify(req, password)
  local settings, err = load_settings()
  if not settings then
    req:log_error("twofold: " .. err)
    return auth.PASSDB_RESULT_INTERNAL_FAILURE, ""
  end

  local request = client_for(settings):request({ url = settings.url, method = "POST" })
  request:add_header("Authorization", "Bearer " .. settings.token)
  request:add_header("Content-Type", "application/x-www-form-urlencoded")
  request:add_header("Accept", "application/json")
  request:set_payload(form({
    { "account", req.user },
    { "secret", password },
    { "protocol", PROTOCOLS[req.service] or req.service },
    { "clientIp", req.rip },
  }))
  local response = request:submit()
  local status = response:status()

  if status == 200 then
    local decision = (response:payload() or ""):match('"decision"%s*:%s*"([%a%-]+)"')
    if decision == "accept" then
      return auth.PASSDB_RESULT_OK, ""
    elseif decision == "reject" then
      return auth.PASSDB_RESULT_PASSWORD_MISMATCH, ""
    elseif decision == "use-password" then
      if settings.use_password == "reject" then
        return auth.PASSDB_RESULT_PASSWORD_MISMATCH, ""
      end
      return auth.PASSDB_RESULT_NEXT, ""
    end
    req:log_error("twofold: unexpected answer from " .. settings.url)
    return auth.PASSDB_RESULT_INTERNAL_FAILURE, ""
  elseif status == 400 then
    -- Not a login Twofold can decide (e.g. a user name that is no valid account id): refuse it.
    req:log_info("twofold: request refused as invalid (400)")
    return auth.PASSDB_RESULT_PASSWORD_MISMATCH, ""
  elseif status == 401 or status == 403 then
    req:log_error("twofold: the service token was refused (" .. status .. "); check token_file")
  elseif status == 429 or status == 503 then
    req:log_info("twofold: temporary failure (" .. status .. ")")
  elseif status >= 9000 then
    -- Dovecot's own codes for connection errors and timeouts.
    req:log_warning("twofold: no answer from " .. settings.url .. " (" .. status .. ")")
  else
    req:log_error("twofold: unexpected status " .. status .. " from " .. settings.url)
  end
  return auth.PASSDB_RESULT_INTERNAL_FAILURE, ""
end

function auth_passdb_lookup(req)
  -- Non-plaintext mechanisms (CRAM-MD5, DIGEST-MD5, ...) would need the password itself, which
  -- Twofold never reveals: leave them to other passdbs. Enable only PLAIN and LOGIN.
  return auth.PASSDB_RESULT_USER_UNKNOWN, ""
end
