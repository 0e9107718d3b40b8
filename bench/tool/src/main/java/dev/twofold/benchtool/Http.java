package dev.twofold.benchtool;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.concurrent.Executor;

/** Requests the JVM load drivers send (HTTP/1.1 keep-alive, like a mail server's connection pool). */
final class Http {

    static final String ACCEPT = "\"decision\":\"accept\"";

    private Http() {
    }

    static HttpClient client(Executor executor) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    static HttpRequest verify(String baseUrl, String token, String account, String secret, String clientIp) {
        String body = "{\"accountId\":\"" + account + "\",\"secret\":\"" + secret
                + "\",\"protocol\":\"imap\",\"clientIp\":\"" + clientIp + "\"}";
        return HttpRequest.newBuilder(URI.create(baseUrl + "/v1/mail-auth/verify"))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    static HttpRequest revoke(String baseUrl, String adminToken, String account, String passcodeId) {
        return HttpRequest.newBuilder(URI.create(baseUrl + "/v1/accounts/" + account + "/app-passcodes/" + passcodeId))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + adminToken)
                .DELETE()
                .build();
    }
}
