package dev.twofold.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RecoveryCodeNormalisationTest {

    @ParameterizedTest
    @ValueSource(strings = {"n4baz-49jpq", "N4BAZ-49JPQ", "n4baz49jpq", " n4baz - 49jpq ", "n4b-az4-9jpq"})
    void caseSpacesAndDashesAreIgnored(String typed) {
        assertEquals(Optional.of("n4baz49jpq"), SecretGenerator.normaliseRecoveryCode(typed));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "123456",
                "12345678",
                "n4baz-49jp",
                "n4baz-49jpqq",
                "n4baz-49jp1",
                "n4baz-49jpo",
                "n4baz_49jpq",
                "n4baz-49jp\u212a",
                "n4baz\t49jpq"
            })
    void anythingElseIsNoRecoveryCode(String typed) {
        assertEquals(Optional.empty(), SecretGenerator.normaliseRecoveryCode(typed));
    }

    @Test
    void nullAndHugeInputAreNoRecoveryCode() {
        assertEquals(Optional.empty(), SecretGenerator.normaliseRecoveryCode(null));
        assertEquals(Optional.empty(), SecretGenerator.normaliseRecoveryCode("-".repeat(100) + "n4baz49jpq"));
    }

    @Test
    void everyGeneratedCodeNormalisesToItsTenCharacters() {
        for (String code : new SecretGenerator().recoveryCodes(100)) {
            assertEquals(Optional.of(code.replace("-", "")), SecretGenerator.normaliseRecoveryCode(code));
        }
    }
}
