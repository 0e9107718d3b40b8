package dev.twofold.mailauth.nginx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.twofold.passcode.MailProtocol;
import dev.twofold.testing.ConfigProblems;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NginxUpstreamsTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "10.0.0.5:143             | 10.0.0.5    | 143",
                "' 192.0.2.1:993 '        | 192.0.2.1   | 993",
                "[2001:DB8::0:1]:110      | 2001:db8::1 | 110",
                "[::1]:65535              | ::1         | 65535",
                "127.0.0.1:1              | 127.0.0.1   | 1",
            })
    void parsesIpAndPort(String endpoint, String address, int port) {
        assertEquals(Optional.of(new NginxUpstreams.Backend(address, port)), NginxUpstreams.Backend.parse(endpoint));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "mail.example.com:143",
                "localhost:143",
                "10.0.0.5",
                "10.0.0.5:",
                "10.0.0.5:0",
                "10.0.0.5:65536",
                "10.0.0.5:99999",
                "10.0.0.256:143",
                "010.0.0.5:143",
                "::1:143",
                "[::1]",
                "[mail]:143",
                "10.0.0.5:-1",
                "10.0.0.5:143:1",
                "",
            })
    void refusesEverythingButAnIpLiteralAndAPort(String endpoint) {
        assertEquals(Optional.empty(), NginxUpstreams.Backend.parse(endpoint));
    }

    @Test
    void looksUpTheBackendPerProtocol() {
        NginxUpstreams upstreams = upstreams(Map.of("imap", "10.0.0.5:143", "SMTP", "10.0.0.6:25"), Optional.empty());

        assertEquals(Optional.of(new NginxUpstreams.Backend("10.0.0.5", 143)), upstreams.backendFor(MailProtocol.IMAP));
        assertEquals(Optional.of(new NginxUpstreams.Backend("10.0.0.6", 25)), upstreams.backendFor(MailProtocol.SMTP));
        assertFalse(upstreams.backendFor(MailProtocol.POP3).isPresent());
    }

    @Test
    void bootFailsOnAHostName() {
        IllegalStateException failure = assertThrows(
                IllegalStateException.class, () -> upstreams(Map.of("imap", "mail.internal:143"), Optional.empty()));

        assertTrue(failure.getMessage().contains("twofold.mail-auth.nginx.backends.imap"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sieve", "caldav", "http", ""})
    void bootFailsOnAProtocolNginxDoesNotProxy(String protocol) {
        assertThrows(IllegalStateException.class, () -> upstreams(Map.of(protocol, "10.0.0.5:143"), Optional.empty()));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "short",
                "has space in it 1234",
                "percent%sign-1234567",
                "quote\"quote-1234567",
                "back\\slash-12345678",
                "line\r\nbreak-123456789",
                "non-ascii-é-123456789"
            })
    void bootFailsOnABackendPasswordThatIsWeakOrUnsafeInAHeader(String password) {
        List<String> problems = problems(Map.of("twofold.mail-auth.nginx.backend-password", password));

        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("twofold.mail-auth.nginx.backend-password "), problems.toString());
        assertFalse(problems.get(0).contains(password), "the message must not echo the secret");
    }

    @Test
    void acceptsARandomHexBackendPassword() {
        String password = "5f1d3c0a9b8e7d6c5b4a39281706f5e4d3c2b1a0";

        assertEquals(List.of(), problems(Map.of("twofold.mail-auth.nginx.backend-password", password)));

        assertEquals(
                Optional.of(password),
                upstreams(Map.of(), Optional.of(password)).backendPassword());
    }

    @ParameterizedTest
    @CsvSource({"failure-wait, -1", "failure-wait, 61", "max-login-attempts, 0"})
    void bootFailsOnAWaitOrAttemptLimitOutOfRange(String property, String value) {
        List<String> problems = problems(Map.of("twofold.mail-auth.nginx." + property, value));

        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("twofold.mail-auth.nginx." + property + " "), problems.toString());
    }

    private static NginxUpstreams upstreams(Map<String, String> backends, Optional<String> password) {
        return new NginxUpstreams(backends, password);
    }

    private static List<String> problems(Map<String, String> properties) {
        return ConfigProblems.of(NginxMailAuthConfig.class, properties);
    }
}
