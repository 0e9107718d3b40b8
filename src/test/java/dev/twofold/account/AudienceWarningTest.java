package dev.twofold.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.runtime.LaunchMode;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AudienceWarningTest {

    @Test
    void productionWithoutExpectedAudienceIsWarnedAboutWithTheSettingToFix() {
        String warning = AudienceWarning.warning(LaunchMode.NORMAL, Set.of()).orElseThrow();
        assertTrue(warning.contains("MP_JWT_VERIFY_AUDIENCES"), warning);
        assertTrue(warning.contains("ANY application"), warning);
        assertTrue(AudienceWarning.warning(LaunchMode.NORMAL, null).isPresent(), "smallrye may leave it null");
    }

    @Test
    void productionWithAnExpectedAudienceStartsQuietly() {
        assertEquals(Optional.empty(), AudienceWarning.warning(LaunchMode.NORMAL, Set.of("twofold")));
    }

    @Test
    void devAndTestProfilesWithTheirTestIdpStartQuietly() {
        assertEquals(Optional.empty(), AudienceWarning.warning(LaunchMode.DEVELOPMENT, Set.of()));
        assertEquals(Optional.empty(), AudienceWarning.warning(LaunchMode.TEST, null));
    }
}
