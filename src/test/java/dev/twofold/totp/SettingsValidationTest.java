package dev.twofold.totp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.twofold.testing.ConfigProblems;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Insecure or unworkable TOTP settings stop the service at boot, with a message naming the property. */
class SettingsValidationTest {

    @Test
    void defaultsAndTheirNeighboursAreAccepted() {
        assertEquals(List.of(), ConfigProblems.of(TotpConfig.class, Map.of()));
        assertEquals(
                List.of(),
                ConfigProblems.of(
                        TotpConfig.class,
                        Map.of(
                                "twofold.totp.issuer",
                                "Example Mail",
                                "twofold.totp.algorithm",
                                "SHA512",
                                "twofold.totp.digits",
                                "8",
                                "twofold.totp.period",
                                "15S",
                                "twofold.totp.window",
                                "2",
                                "twofold.totp.enrollment-ttl",
                                "5M")));
        assertEquals(
                List.of(),
                ConfigProblems.of(
                        TotpConfig.class,
                        Map.of(
                                "twofold.totp.period",
                                "60S",
                                "twofold.totp.window",
                                "0",
                                "twofold.totp.lockout.initial",
                                "1S",
                                "twofold.totp.lockout.max",
                                "1S")));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
        "twofold.totp.digits, 7",
        "twofold.totp.digits, 9",
        "twofold.totp.period, 14S",
        "twofold.totp.period, PT30.5S",
        "twofold.totp.window, 3",
        "twofold.totp.window, -1",
        "twofold.totp.enrollment-ttl, 0S",
        "twofold.totp.issuer, ' '",
        "twofold.totp.lockout.max-failures, 0",
        "twofold.totp.lockout.initial, 0S",
        "twofold.totp.lockout.max, 30S",
    })
    void badTotpSettingsAreRejectedByName(String property, String value) {
        List<String> problems = ConfigProblems.of(TotpConfig.class, Map.of(property, value));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains(property), problems.toString());
    }
}
