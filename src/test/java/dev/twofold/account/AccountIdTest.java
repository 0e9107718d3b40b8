package dev.twofold.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.twofold.problem.ProblemException;
import dev.twofold.problem.ProblemType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AccountIdTest {

    @Test
    void foldsAsciiCaseAndTrimsAsciiWhiteSpace() {
        assertEquals(
                "alice@example.com", AccountId.of(" \tAlice@Example.COM\r\n").value());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "\u212Aate@example.com", "\u212Bsa@example.com", "\u0130van@example.com", "\u0131van@example.com",
                "\u017Fam@example.com", "sta\uFB00@example.com", "\uFF2Bate@example.com", "\u039Aate@example.com",
                "jos\u00c9@example.com", "jose\u0301@example.com", "\u00DFtra\u00DFe@example.com"
            })
    void keepsEveryNonAsciiCharacterExactlyAsGiven(String login) {
        // Lower-casing U+212A KELVIN SIGN gives ASCII k: an attacker's "Kate" would be kate's account.
        assertEquals(login, AccountId.of(login).value());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ka\u200Dte@example.com",
                "kate\u200B@example.com",
                "\uFEFFkate@example.com",
                "ka\u00ADte@example.com",
                "\u202Ekate@example.com",
                "kate\u2066@example.com",
                "kate@example.com\u00A0",
                "\u3000kate@example.com",
                "kate\u2028@example.com",
                "kate\u0378@example.com",
                "kate\uD800@example.com",
                "kate\uE000@example.com",
                "ka te@example.com",
                "kate\u0000@example.com",
                "kate\u0085@example.com",
                "",
                "   "
            })
    void refusesWhatADirectoryMightStripOrSplitOn(String login) {
        ProblemException refused = assertThrows(ProblemException.class, () -> AccountId.of(login));
        assertEquals(ProblemType.VALIDATION_FAILED, refused.type());
    }

    @Test
    void refusesIdsLongerThan320Characters() {
        assertEquals(320, AccountId.of("a".repeat(320)).value().length());
        assertThrows(ProblemException.class, () -> AccountId.of("a".repeat(321)));
    }
}
