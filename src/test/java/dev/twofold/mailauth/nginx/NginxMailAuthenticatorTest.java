package dev.twofold.mailauth.nginx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.twofold.mailauth.MailLogin;
import dev.twofold.mailauth.MailLoginResult;
import dev.twofold.problem.ProblemException;
import dev.twofold.problem.ProblemType;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The mapping from decisions and failures to nginx headers, with the domain service replaced. */
class NginxMailAuthenticatorTest {

    private static final String BACKEND_PASSWORD = "0123456789abcdef0123456789abcdef";
    private static final MailLoginResult ACCEPTED = MailLoginResult.accept(UUID.randomUUID(), "Phone");

    @Test
    void acceptedPasscodeGoesToTheProtocolsBackendAsTheNormalisedAccountWithTheBackendPassword() {
        Map<String, String> headers = answer(
                login -> Uni.createFrom().item(ACCEPTED),
                attempt("imap", 1),
                NginxMailAuthConfig.PasswordFallback.PASS_THROUGH);

        assertEquals(
                Map.of(
                        "Auth-Status",
                        "OK",
                        "Auth-Server",
                        "10.0.0.5",
                        "Auth-Port",
                        "143",
                        "Auth-User",
                        "alice@example.com",
                        "Auth-Pass",
                        BACKEND_PASSWORD),
                headers);
    }

    @Test
    void passesTheDecodedLoginToTheService() {
        MailLogin[] seen = new MailLogin[1];
        answer(
                login -> {
                    seen[0] = login;
                    return Uni.createFrom().item(ACCEPTED);
                },
                new NginxLoginAttempt("plain", "Alice@Example.com", "zwyf%20wslj+%25", "pop3", 1, "198.51.100.7"),
                NginxMailAuthConfig.PasswordFallback.PASS_THROUGH);

        assertEquals("alice@example.com", seen[0].account().value());
        assertEquals("zwyf wslj+%", seen[0].secret());
        assertEquals("pop3", seen[0].protocol());
        assertEquals(Optional.of("198.51.100.7"), seen[0].clientIp());
    }

    @Test
    void usePasswordPassesTheClientsOwnPasswordThroughForImap() {
        Map<String, String> headers = answer(
                login -> Uni.createFrom().item(MailLoginResult.usePassword()),
                attempt("imap", 1),
                NginxMailAuthConfig.PasswordFallback.PASS_THROUGH);

        assertEquals("OK", headers.get("Auth-Status"));
        assertEquals("alice@example.com", headers.get("Auth-User"));
        assertFalse(headers.containsKey("Auth-Pass"), "the backend must check the client's own password");
    }

    @Test
    void usePasswordIsRefusedWhenConfiguredSo() {
        Map<String, String> headers = answer(
                login -> Uni.createFrom().item(MailLoginResult.usePassword()),
                attempt("imap", 1),
                NginxMailAuthConfig.PasswordFallback.REJECT);

        assertEquals(Map.of("Auth-Status", "Invalid login or password", "Auth-Wait", "3"), headers);
    }

    @Test
    void usePasswordIsAlwaysRefusedForSmtpBecauseNoBackendWouldCheckIt() {
        Map<String, String> headers = answer(
                login -> Uni.createFrom().item(MailLoginResult.usePassword()),
                attempt("smtp", 1),
                NginxMailAuthConfig.PasswordFallback.PASS_THROUGH);

        assertEquals(
                Map.of("Auth-Status", "Invalid login or password", "Auth-Wait", "3", "Auth-Error-Code", "535 5.7.8"),
                headers);
    }

    @Test
    void rejectionLetsTheClientRetryUntilTheLastAttempt() {
        Function<MailLogin, Uni<MailLoginResult>> reject =
                login -> Uni.createFrom().item(MailLoginResult.reject(MailLoginResult.UNKNOWN_SECRET));

        assertEquals(
                "3",
                answer(reject, attempt("imap", 2), NginxMailAuthConfig.PasswordFallback.PASS_THROUGH)
                        .get("Auth-Wait"));
        Map<String, String> last =
                answer(reject, attempt("imap", 3), NginxMailAuthConfig.PasswordFallback.PASS_THROUGH);
        assertEquals(Map.of("Auth-Status", "Invalid login or password"), last);
    }

    @Test
    void throttlingIsATemporaryFailureWaitingTheRetryAfterUpToThirtySeconds() {
        Map<String, String> shortWait = answer(
                login -> Uni.createFrom()
                        .failure(new ProblemException(
                                ProblemType.TOO_MANY_ATTEMPTS, "Throttled.", Duration.ofSeconds(7))),
                attempt("smtp", 1),
                NginxMailAuthConfig.PasswordFallback.PASS_THROUGH);
        Map<String, String> longWait = answer(
                login -> Uni.createFrom()
                        .failure(new ProblemException(
                                ProblemType.TOO_MANY_ATTEMPTS, "Throttled.", Duration.ofMinutes(10))),
                attempt("imap", 1),
                NginxMailAuthConfig.PasswordFallback.PASS_THROUGH);

        assertEquals(
                Map.of(
                        "Auth-Status",
                        "Temporary server problem, try again later",
                        "Auth-Wait",
                        "7",
                        "Auth-Error-Code",
                        "454 4.7.0"),
                shortWait);
        assertEquals("30", longWait.get("Auth-Wait"));
    }

    @Test
    void overloadIsATemporaryFailure() {
        Map<String, String> headers = answer(
                login -> Uni.createFrom()
                        .failure(new ProblemException(ProblemType.SERVICE_OVERLOADED, "Busy.", Duration.ofSeconds(2))),
                attempt("imap", 1),
                NginxMailAuthConfig.PasswordFallback.PASS_THROUGH);

        assertEquals(Map.of("Auth-Status", "Temporary server problem, try again later", "Auth-Wait", "2"), headers);
    }

    @Test
    void anUnexpectedFailureThrownOrSignalledIsATemporaryFailure() {
        Map<String, String> signalled = answer(
                login -> Uni.createFrom().failure(new IllegalStateException("db down")),
                attempt("imap", 1),
                NginxMailAuthConfig.PasswordFallback.PASS_THROUGH);
        Map<String, String> thrown = answer(
                login -> {
                    throw new IllegalStateException("db down");
                },
                attempt("imap", 1),
                NginxMailAuthConfig.PasswordFallback.PASS_THROUGH);

        assertEquals(Map.of("Auth-Status", "Temporary server problem, try again later", "Auth-Wait", "3"), signalled);
        assertEquals(signalled, thrown);
    }

    @Test
    void aLoginTheServiceFindsInvalidIsRefused() {
        Map<String, String> headers = answer(
                login -> {
                    throw new ProblemException(ProblemType.VALIDATION_FAILED, "Client IP is no IP literal.");
                },
                attempt("imap", 1),
                NginxMailAuthConfig.PasswordFallback.PASS_THROUGH);

        assertEquals("Invalid login or password", headers.get("Auth-Status"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"apop", "cram-md5", "external", "none", ""})
    void methodsWithoutAPlaintextSecretAreRefusedWithoutAskingTheService(String method) {
        Map<String, String> headers = answer(
                login -> {
                    throw new AssertionError("the service must not be asked");
                },
                new NginxLoginAttempt(method, "alice@example.com", "secret", "imap", 1, null),
                NginxMailAuthConfig.PasswordFallback.PASS_THROUGH);

        assertEquals("Invalid login or password", headers.get("Auth-Status"));
    }

    @Test
    void undecodableOrInvalidLoginsAreRefusedWithoutAskingTheService() {
        Function<MailLogin, Uni<MailLoginResult>> never = login -> {
            throw new AssertionError("the service must not be asked");
        };
        for (NginxLoginAttempt attempt : new NginxLoginAttempt[] {
            new NginxLoginAttempt("plain", "alice@example.com", "bad%zz", "imap", 1, null),
            new NginxLoginAttempt("plain", null, "secret", "imap", 1, null),
            new NginxLoginAttempt("plain", "alice%20smith@example.com", "secret", "imap", 1, null),
            new NginxLoginAttempt("plain", "alice@example.com", null, "imap", 1, null),
            new NginxLoginAttempt("plain", "alice@example.com", "secret", "sieve", 1, null),
            new NginxLoginAttempt("plain", "alice@example.com", "secret", null, 1, null),
        }) {
            assertEquals(
                    "Invalid login or password",
                    answer(never, attempt, NginxMailAuthConfig.PasswordFallback.PASS_THROUGH)
                            .get("Auth-Status"),
                    attempt.toString());
        }
    }

    @Test
    void aProtocolWithoutBackendIsATemporaryFailure() {
        NginxMailAuthenticator authenticator = new NginxMailAuthenticator(
                login -> Uni.createFrom().item(ACCEPTED),
                new NginxUpstreams(Map.of("imap", "10.0.0.5:143"), Optional.empty()),
                config(NginxMailAuthConfig.PasswordFallback.PASS_THROUGH));

        Map<String, String> headers = authenticator
                .authenticate(attempt("pop3", 1))
                .await()
                .indefinitely()
                .headers();

        assertEquals("Temporary server problem, try again later", headers.get("Auth-Status"));
    }

    /**
     * A reply's Auth-User is ASCII, and without one nginx passes the client's own spelling to the
     * backend, which may map it to another mailbox: such logins are refused before any check.
     */
    @ParameterizedTest
    @ValueSource(strings = {"j%C3%BCrgen@example.com", "%E2%84%AAate@example.com", "J%C3%BCrgen@Example.com"})
    void aLoginThatCannotBePassedOnAsAsciiIsRefusedUnchecked(String user) {
        boolean[] asked = new boolean[1];
        Map<String, String> headers = answer(
                login -> {
                    asked[0] = true;
                    return Uni.createFrom().item(ACCEPTED);
                },
                new NginxLoginAttempt("plain", user, "secret", "imap", 1, null),
                NginxMailAuthConfig.PasswordFallback.PASS_THROUGH);

        assertEquals(Map.of("Auth-Status", "Invalid login or password", "Auth-Wait", "3"), headers);
        assertFalse(asked[0], "no passcode check for a login nginx cannot be told to rewrite");
    }

    @Test
    void everyAllowedLoginTellsNginxTheBackendUser() {
        Map<String, String> headers = answer(
                login -> Uni.createFrom().item(MailLoginResult.usePassword()),
                new NginxLoginAttempt("plain", "%20Bob@Example.com", "secret", "pop3", 1, null),
                NginxMailAuthConfig.PasswordFallback.PASS_THROUGH);

        assertEquals("OK", headers.get("Auth-Status"));
        assertEquals("bob@example.com", headers.get("Auth-User"));
    }

    @Test
    void repliesStayFarBelowNginxsHeaderBuffer() {
        String longAccount = "a".repeat(300) + "@example.com";
        Map<String, String> headers = answer(
                login -> Uni.createFrom().item(ACCEPTED),
                new NginxLoginAttempt("plain", longAccount, "secret", "imap", 1, null),
                NginxMailAuthConfig.PasswordFallback.PASS_THROUGH);

        int size = headers.entrySet().stream()
                .mapToInt(h -> h.getKey().length() + h.getValue().length() + 4)
                .sum();
        assertTrue(size < 600, "headers take " + size + " bytes");
    }

    private static Map<String, String> answer(
            Function<MailLogin, Uni<MailLoginResult>> decide,
            NginxLoginAttempt attempt,
            NginxMailAuthConfig.PasswordFallback fallback) {
        NginxUpstreams upstreams = new NginxUpstreams(
                Map.of("imap", "10.0.0.5:143", "pop3", "10.0.0.5:110", "smtp", "10.0.0.6:25"),
                Optional.of(BACKEND_PASSWORD));
        return new NginxMailAuthenticator(decide, upstreams, config(fallback))
                .authenticate(attempt)
                .await()
                .indefinitely()
                .headers();
    }

    private static NginxLoginAttempt attempt(String protocol, int number) {
        return new NginxLoginAttempt(
                "plain", "Alice@Example.com", "zwyf%20wslj%20ghtm%20davo", protocol, number, "198.51.100.7");
    }

    /** A named type: Quarkus refuses an anonymous class whose methods inherit the mapping's constraints. */
    private record Settings(
            Map<String, String> backends,
            Optional<String> backendPassword,
            NginxMailAuthConfig.PasswordFallback passwordFallback,
            int failureWait,
            int maxLoginAttempts)
            implements NginxMailAuthConfig {}

    private static NginxMailAuthConfig config(NginxMailAuthConfig.PasswordFallback fallback) {
        return new Settings(Map.of(), Optional.empty(), fallback, 3, 3);
    }
}
