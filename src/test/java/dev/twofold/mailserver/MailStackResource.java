package dev.twofold.mailserver;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Prepares the mail stack before the packaged application starts and hands the application what it
 * needs to serve it: the nginx backends (this run's Dovecot and Postfix ports), the backend password
 * and the introspection client (the rest of a packaged jar's settings come from
 * {@code PackagedAppSettings}). The daemons start once the application's port is known
 * ({@link MailStack#start}).
 */
public class MailStackResource implements QuarkusTestResourceLifecycleManager {

    private MailStack stack;

    @Override
    public Map<String, String> start() {
        stack = MailStack.prepare();
        Map<String, String> config = new LinkedHashMap<>();
        config.put("twofold.mail-auth.nginx.backends.imap", "127.0.0.1:" + stack.port("IMAP_PORT"));
        config.put("twofold.mail-auth.nginx.backends.pop3", "127.0.0.1:" + stack.port("POP3_PORT"));
        config.put("twofold.mail-auth.nginx.backends.smtp", "127.0.0.1:" + stack.port("SMTP_PORT"));
        config.put("twofold.mail-auth.nginx.backend-password", stack.backendPassword());
        // nginx holds a refusal back for Auth-Wait seconds; the tests time every login instead.
        config.put("twofold.mail-auth.nginx.failure-wait", "0");
        // Dovecot's oauth2 passdb authenticates to the introspection endpoint as client "dovecot".
        config.put("twofold.mail-auth.introspection.clients.dovecot", sha256Hex(stack.introspectionSecret()));
        return config;
    }

    @Override
    public void stop() {
        if (stack != null) {
            stack.stop();
        }
    }

    private static String sha256Hex(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
