<?php

/*
 * Prints the JWK of Roundcube's public signing key, for the JWKS Twofold trusts
 * (mp.jwt.verify.publickey.location). Usage: php public-jwk.php roundcube-jwt.pub roundcube
 * (the PEM public key, and the kid set as twofold_jwt_key_id). RSA keys become RS256, P-256 keys ES256.
 */
if (PHP_SAPI !== 'cli' || $argc !== 3) {
    fwrite(STDERR, "usage: php public-jwk.php PUBLIC_KEY.pem KID\n");
    exit(2);
}
$key = openssl_pkey_get_public((string) @file_get_contents($argv[1]));
$details = $key === false ? false : openssl_pkey_get_details($key);
$b64 = function ($bytes) {
    return rtrim(strtr(base64_encode($bytes), '+/', '-_'), '=');
};
if ($details !== false && isset($details['rsa'])) {
    $jwk = ['kty' => 'RSA', 'use' => 'sig', 'alg' => 'RS256', 'kid' => $argv[2],
        'n' => $b64($details['rsa']['n']), 'e' => $b64($details['rsa']['e'])];
} elseif ($details !== false && ($details['ec']['curve_name'] ?? '') === 'prime256v1') {
    // A JWK's P-256 coordinates are exactly 32 bytes; OpenSSL drops leading zero bytes.
    $jwk = ['kty' => 'EC', 'use' => 'sig', 'alg' => 'ES256', 'kid' => $argv[2], 'crv' => 'P-256',
        'x' => $b64(str_pad($details['ec']['x'], 32, "\0", STR_PAD_LEFT)),
        'y' => $b64(str_pad($details['ec']['y'], 32, "\0", STR_PAD_LEFT))];
} else {
    fwrite(STDERR, "{$argv[1]} is no RSA or P-256 public key in PEM\n");
    exit(1);
}
echo json_encode($jwk, JSON_UNESCAPED_SLASHES), "\n";
