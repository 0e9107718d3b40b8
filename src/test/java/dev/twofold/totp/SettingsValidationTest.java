package dev.twofold.totp;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Insecure or unworkable TOTP settings stop the service at boot, with a message naming the property. */
class SettingsValidationTest {

    record TotpSettings(String issuer, HashAlgorithm algorithm, int digits, Duration period, int window,
            Duration enrollmentTtl, TotpConfig.Lockout lockout) implements TotpConfig {

        static TotpSettings defaults() {
            return new TotpSettings("Twofold", HashAlgorithm.SHA1, 6, Duration.ofSeconds(30), 1, Duration.ofMinutes(15),
                    new LockoutSettings(5, Duration.ofMinutes(1), Duration.ofHours(1)));
        }
    }

    record LockoutSettings(int maxFailures, Duration initial, Duration max) implements TotpConfig.Lockout {
    }

    @Test
    void defaultsAndTheirNeighboursAreAccepted() {
        TotpSettings defaults = TotpSettings.defaults();
        assertDoesNotThrow(() -> TwoFactorService.validated(defaults));
        assertDoesNotThrow(() -> TwoFactorService.validated(new TotpSettings("Example Mail", HashAlgorithm.SHA512, 8,
                Duration.ofSeconds(15), 2, Duration.ofMinutes(5), defaults.lockout())));
        assertDoesNotThrow(() -> TwoFactorService.validated(new TotpSettings("Twofold", HashAlgorithm.SHA1, 6,
                Duration.ofSeconds(60), 0, Duration.ofMinutes(15), defaults.lockout())));
    }

    static Stream<Arguments> badTotpSettings() {
        TotpSettings d = TotpSettings.defaults();
        LockoutSettings l = (LockoutSettings) d.lockout();
        return Stream.of(
                bad("twofold.totp.digits", t -> new TotpSettings(t.issuer(), t.algorithm(), 7, t.period(), t.window(),
                        t.enrollmentTtl(), t.lockout())),
                bad("twofold.totp.digits", t -> new TotpSettings(t.issuer(), t.algorithm(), 9, t.period(), t.window(),
                        t.enrollmentTtl(), t.lockout())),
                bad("twofold.totp.period", t -> new TotpSettings(t.issuer(), t.algorithm(), 6, Duration.ofSeconds(14),
                        t.window(), t.enrollmentTtl(), t.lockout())),
                bad("twofold.totp.period", t -> new TotpSettings(t.issuer(), t.algorithm(), 6, Duration.ofMillis(30_500),
                        t.window(), t.enrollmentTtl(), t.lockout())),
                bad("twofold.totp.window", t -> new TotpSettings(t.issuer(), t.algorithm(), 6, t.period(), 3,
                        t.enrollmentTtl(), t.lockout())),
                bad("twofold.totp.window", t -> new TotpSettings(t.issuer(), t.algorithm(), 6, t.period(), -1,
                        t.enrollmentTtl(), t.lockout())),
                bad("twofold.totp.enrollment-ttl", t -> new TotpSettings(t.issuer(), t.algorithm(), 6, t.period(), 1,
                        Duration.ZERO, t.lockout())),
                bad("twofold.totp.issuer", t -> new TotpSettings(" ", t.algorithm(), 6, t.period(), 1,
                        t.enrollmentTtl(), t.lockout())),
                bad("twofold.totp.lockout.max-failures", t -> new TotpSettings(t.issuer(), t.algorithm(), 6, t.period(), 1,
                        t.enrollmentTtl(), new LockoutSettings(0, l.initial(), l.max()))),
                bad("twofold.totp.lockout.initial", t -> new TotpSettings(t.issuer(), t.algorithm(), 6, t.period(), 1,
                        t.enrollmentTtl(), new LockoutSettings(5, Duration.ZERO, l.max()))),
                bad("twofold.totp.lockout.max", t -> new TotpSettings(t.issuer(), t.algorithm(), 6, t.period(), 1,
                        t.enrollmentTtl(), new LockoutSettings(5, Duration.ofMinutes(2), Duration.ofMinutes(1)))));
    }

    private static Arguments bad(String property, UnaryOperator<TotpSettings> change) {
        return Arguments.of(property, change.apply(TotpSettings.defaults()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTotpSettings")
    void badTotpSettingsAreRejectedByName(String property, TotpConfig settings) {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TwoFactorService.validated(settings));
        assertTrue(e.getMessage().contains(property), e.getMessage());
    }
}
