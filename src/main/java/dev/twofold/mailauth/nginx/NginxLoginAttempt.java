package dev.twofold.mailauth.nginx;

/**
 * The request headers of one nginx {@code auth_http} call, as received: {@code user} and
 * {@code password} still percent-encoded, any of them possibly {@code null}.
 */
record NginxLoginAttempt(
        String method, String user, String password, String protocol, Integer attempt, String clientIp) {}
