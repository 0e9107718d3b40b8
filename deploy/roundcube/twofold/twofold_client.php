<?php

/**
 * Twofold's REST API as the Roundcube plugin uses it: every call carries a short bearer JWT that
 * this webmail signs for the signed-in user (Roundcube is the users' identity provider here), and
 * every failure (refused connection, timeout, 5xx) comes back as a status the caller must treat as
 * "unavailable", never as "no second factor".
 */
class twofold_client
{
    private $url;
    private $issuer;
    private $key;
    private $key_id;
    private $algorithm;
    private $audience;
    private $lifetime;
    private $timeout;
    private $user_agent;
    private $client_ip;

    /**
     * @param array $config twofold_* settings (see config.inc.php.dist)
     */
    public function __construct(array $config, $user_agent, $client_ip)
    {
        foreach (['twofold_url', 'twofold_jwt_issuer', 'twofold_jwt_key_file'] as $required) {
            if (empty($config[$required])) {
                throw new RuntimeException("Twofold plugin: $required is not configured");
            }
        }
        $this->url        = rtrim($config['twofold_url'], '/');
        $this->issuer     = $config['twofold_jwt_issuer'];
        $this->key_id     = isset($config['twofold_jwt_key_id']) ? $config['twofold_jwt_key_id'] : null;
        $this->algorithm  = isset($config['twofold_jwt_algorithm']) ? $config['twofold_jwt_algorithm'] : 'RS256';
        $this->audience   = isset($config['twofold_jwt_audience']) ? $config['twofold_jwt_audience'] : null;
        $this->lifetime   = isset($config['twofold_jwt_lifetime']) ? (int) $config['twofold_jwt_lifetime'] : 120;
        $this->timeout    = isset($config['twofold_timeout']) ? (float) $config['twofold_timeout'] : 5;
        $this->user_agent = (string) $user_agent;
        $this->client_ip  = (string) $client_ip;
        if (!in_array($this->algorithm, ['RS256', 'ES256'], true)) {
            throw new RuntimeException('Twofold plugin: twofold_jwt_algorithm must be RS256 or ES256');
        }
        $pem = @file_get_contents($config['twofold_jwt_key_file']);
        $this->key = $pem === false ? false : openssl_pkey_get_private($pem);
        if ($this->key === false) {
            throw new RuntimeException('Twofold plugin: cannot read the private key in twofold_jwt_key_file');
        }
    }

    /**
     * Calls Twofold for $account.
     *
     * @param string $method   HTTP method
     * @param string $path     path below /v1/accounts/{account}, e.g. "/two-factor"
     * @param string $account  the account id (Roundcube's user name)
     * @param int    $auth_time when the user last typed the password (Unix time)
     * @param array  $body     JSON body, if any
     *
     * @return array ['status' => HTTP status or 0 when Twofold could not be reached, 'body' => decoded JSON
     *               or null, 'retry_after' => seconds or null]
     */
    public function call($method, $path, $account, $auth_time, $body = null)
    {
        $url = $this->url . '/v1/accounts/' . rawurlencode($account) . $path;
        $headers = [
            'Authorization: Bearer ' . $this->token($account, $auth_time),
            'Accept: application/json',
            // Security events record where a change came from: the user's browser, not this host.
            'User-Agent: ' . substr(preg_replace('/[\r\n]/', ' ', $this->user_agent), 0, 200),
            'X-Forwarded-For: ' . $this->client_ip,
        ];
        $curl = curl_init($url);
        curl_setopt_array($curl, [
            CURLOPT_CUSTOMREQUEST  => $method,
            CURLOPT_RETURNTRANSFER => true,
            CURLOPT_HEADER         => false,
            CURLOPT_CONNECTTIMEOUT_MS => (int) min(3000, $this->timeout * 1000),
            CURLOPT_TIMEOUT_MS     => (int) ($this->timeout * 1000),
            CURLOPT_FOLLOWLOCATION => false,
            CURLOPT_PROTOCOLS      => CURLPROTO_HTTP | CURLPROTO_HTTPS,
        ]);
        if ($body !== null) {
            $headers[] = 'Content-Type: application/json';
            curl_setopt($curl, CURLOPT_POSTFIELDS, json_encode($body, JSON_UNESCAPED_SLASHES));
        }
        curl_setopt($curl, CURLOPT_HTTPHEADER, $headers);
        $retry_after = null;
        curl_setopt($curl, CURLOPT_HEADERFUNCTION, function ($curl, $line) use (&$retry_after) {
            if (preg_match('/^Retry-After:\s*(\d+)/i', $line, $m)) {
                $retry_after = (int) $m[1];
            }
            return strlen($line);
        });
        $response = curl_exec($curl);
        $status = $response === false ? 0 : (int) curl_getinfo($curl, CURLINFO_RESPONSE_CODE);
        if ($response === false) {
            rcube::raise_error(['code' => 500, 'message' => 'Twofold unreachable: ' . curl_error($curl)], true, false);
        }
        curl_close($curl);
        $decoded = is_string($response) && $response !== '' ? json_decode($response, true) : null;
        return ['status' => $status, 'body' => is_array($decoded) ? $decoded : null, 'retry_after' => $retry_after];
    }

    /** The owner token: sub = the account, auth_time = the user's last password sign-in. */
    private function token($account, $auth_time)
    {
        $now = time();
        $header = ['alg' => $this->algorithm, 'typ' => 'JWT'];
        if ($this->key_id) {
            $header['kid'] = $this->key_id;
        }
        $claims = [
            'iss'       => $this->issuer,
            'sub'       => $account,
            'iat'       => $now,
            'exp'       => $now + $this->lifetime,
            'auth_time' => (int) $auth_time,
            'jti'       => bin2hex(random_bytes(16)),
        ];
        if ($this->audience) {
            $claims['aud'] = $this->audience;
        }
        $input = self::b64(json_encode($header)) . '.' . self::b64(json_encode($claims, JSON_UNESCAPED_SLASHES));
        if (!openssl_sign($input, $signature, $this->key, OPENSSL_ALGO_SHA256)) {
            throw new RuntimeException('Twofold plugin: signing the token failed');
        }
        if ($this->algorithm === 'ES256') {
            $signature = self::der_to_jose($signature, 32);
        }
        return $input . '.' . self::b64($signature);
    }

    /** OpenSSL signs ECDSA as DER SEQUENCE { r, s }; a JWS carries r and s as fixed-size big-endian halves. */
    private static function der_to_jose($der, $size)
    {
        $offset = 2 + (ord($der[1]) & 0x80 ? ord($der[1]) & 0x7f : 0);
        $parts = [];
        for ($i = 0; $i < 2; $i++) {
            $length = ord($der[$offset + 1]);
            $value = ltrim(substr($der, $offset + 2, $length), "\0");
            $parts[] = str_pad($value, $size, "\0", STR_PAD_LEFT);
            $offset += 2 + $length;
        }
        return $parts[0] . $parts[1];
    }

    private static function b64($data)
    {
        return rtrim(strtr(base64_encode($data), '+/', '-_'), '=');
    }
}
