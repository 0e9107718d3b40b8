package dev.twofold.account;

import static dev.twofold.testing.Problems.assertProblem;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.twofold.testing.Api;
import dev.twofold.testing.Passcodes;
import dev.twofold.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile account ids: look-alikes that a directory keeps apart from a real account must never
 * reach it, through the token's {@code sub}, the path, or a mail login; and characters a directory
 * may strip are refused outright.
 */
@QuarkusTest
class ConfusableAccountIdsTest {

    /** (what it is, the victim's id, the attacker's look-alike), each with {@code %s} for a fresh suffix. */
    static Stream<Arguments> lookAlikes() {
        return Stream.of(
                Arguments.of("KELVIN SIGN for k", "kate-%s@example.test", "\u212Aate-%s@example.test"),
                Arguments.of("ANGSTROM SIGN for å", "\u00e5sa-%s@example.test", "\u212Bsa-%s@example.test"),
                Arguments.of("OHM SIGN for ω", "\u03c9mega-%s@example.test", "\u2126mega-%s@example.test"),
                Arguments.of("dotted capital I", "ivan-%s@example.test", "\u0130van-%s@example.test"),
                Arguments.of("dotless i", "ivan-%s@example.test", "\u0131van-%s@example.test"),
                Arguments.of("long s", "sam-%s@example.test", "\u017Fam-%s@example.test"),
                Arguments.of("ff ligature", "staff-%s@example.test", "sta\uFB00-%s@example.test"),
                Arguments.of("fi ligature", "fiona-%s@example.test", "\uFB01ona-%s@example.test"),
                Arguments.of("fullwidth letters", "kate-%s@example.test", "\uFF2B\uFF41\uFF54\uFF45-%s@example.test"),
                Arguments.of("Cyrillic a", "kate-%s@example.test", "k\u0430te-%s@example.test"),
                Arguments.of("Cyrillic capital A", "anna-%s@example.test", "\u0410nna-%s@example.test"),
                Arguments.of("Greek capital kappa", "kate-%s@example.test", "\u039Aate-%s@example.test"),
                Arguments.of("Greek omicron", "otto-%s@example.test", "\u03BFtto-%s@example.test"),
                Arguments.of(
                        "combining acute for precomposed é", "jos\u00e9-%s@example.test", "jose\u0301-%s@example.test"),
                Arguments.of(
                        "precomposed é for combining acute", "jose\u0301-%s@example.test", "jos\u00e9-%s@example.test"),
                Arguments.of(
                        "capital É for é (no Unicode case folding)",
                        "jos\u00e9-%s@example.test",
                        "jos\u00c9-%s@example.test"));
    }

    /** Characters a directory or client may drop, leaving the victim's id behind. */
    static Stream<Arguments> vanishing() {
        return Stream.of(
                Arguments.of("zero-width joiner", "ka\u200Dte-%s@example.test"),
                Arguments.of("zero-width non-joiner", "ka\u200Cte-%s@example.test"),
                Arguments.of("zero-width space", "kate\u200B-%s@example.test"),
                Arguments.of("word joiner", "kate-%s\u2060@example.test"),
                Arguments.of("byte order mark", "\uFEFFkate-%s@example.test"),
                Arguments.of("soft hyphen", "ka\u00ADte-%s@example.test"),
                Arguments.of("right-to-left override", "\u202Ekate-%s@example.test"),
                Arguments.of("left-to-right isolate", "\u2066kate-%s@example.test"),
                Arguments.of("right-to-left mark", "kate-%s\u200F@example.test"),
                Arguments.of("no-break space", "kate-%s@example.test\u00A0"),
                Arguments.of("ideographic space", "\u3000kate-%s@example.test"),
                Arguments.of("unassigned code point", "kate-%s\u0378@example.test"),
                Arguments.of("private use", "kate-%s\uE000@example.test"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lookAlikes")
    void aLookAlikeIdNeverReachesTheAccountItResembles(String what, String victimId, String lookAlikeId) {
        String suffix = suffix();
        String victim = String.format(Locale.ROOT, victimId, suffix);
        String attacker = String.format(Locale.ROOT, lookAlikeId, suffix);
        Passcodes.Created victimsPasscode = Passcodes.create(victim, "Phone");
        String attackersToken = Tokens.owner(attacker);

        assertProblem(
                Api.as(attackersToken)
                        .get("/v1/accounts/{id}/two-factor", victim)
                        .then(),
                404,
                "not-found");
        assertProblem(
                Api.as(attackersToken)
                        .get("/v1/accounts/{id}/app-passcodes", victim)
                        .then(),
                404,
                "not-found");
        assertProblem(
                Api.as(attackersToken)
                        .body(Map.of("name", "Attacker"))
                        .post("/v1/accounts/{id}/app-passcodes", victim)
                        .then(),
                404,
                "not-found");
        assertProblem(
                Api.as(attackersToken)
                        .delete("/v1/accounts/{id}/app-passcodes/{pid}", victim, victimsPasscode.id())
                        .then(),
                404,
                "not-found");

        // The look-alike is an account of its own, kept exactly as written, that holds nothing of the victim's.
        Api.as(attackersToken)
                .get("/v1/accounts/{id}/two-factor", attacker)
                .then()
                .statusCode(200)
                .body("accountId", equalTo(attacker))
                .body("appPasscodes.active", equalTo(0));
        Passcodes.Created attackersPasscode = Passcodes.create(attacker, "Attacker");

        Passcodes.decide(attacker, victimsPasscode.passcode(), "imap", null).body("decision", not(equalTo("accept")));
        Passcodes.decide(victim, attackersPasscode.passcode(), "imap", null).body("decision", not(equalTo("accept")));
        Passcodes.decide(victim, victimsPasscode.passcode(), "imap", null).body("decision", equalTo("accept"));
        assertEquals(
                List.of("Phone"),
                Api.as(Tokens.owner(victim))
                        .get("/v1/accounts/{id}/app-passcodes", victim)
                        .then()
                        .statusCode(200)
                        .extract()
                        .path("items.name"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vanishing")
    void anIdWithCharactersADirectoryMayDropIsRefused(String what, String template) {
        String suffix = suffix();
        String victim = String.format(Locale.ROOT, "kate-%s@example.test", suffix);
        String hostile = String.format(Locale.ROOT, template, suffix);
        Passcodes.Created victimsPasscode = Passcodes.create(victim, "Phone");

        assertProblem(
                Api.hostile(Tokens.owner(hostile))
                        .get("/v1/accounts/{id}/two-factor", hostile)
                        .then(),
                400,
                "validation-failed");
        // Such a sub owns nothing, not even the account it would be without the character.
        assertProblem(
                Api.hostile(Tokens.owner(hostile))
                        .get("/v1/accounts/{id}/two-factor", victim)
                        .then(),
                404,
                "not-found");
        assertProblem(
                Api.hostile(Tokens.mailServer())
                        .contentType(ContentType.JSON)
                        .body(Passcodes.login(hostile, victimsPasscode.passcode(), "imap", null))
                        .post("/v1/mail-auth/verify")
                        .then(),
                400,
                "validation-failed");
    }

    @Test
    void asciiLettersAreStillCaseFoldedAndTrimmed() {
        String account = String.format(Locale.ROOT, "kate-%s@example.test", suffix());
        Passcodes.Created created = Passcodes.create(account, "Phone");

        Api.as(Tokens.owner(" " + account.toUpperCase(Locale.ROOT) + "\t"))
                .get("/v1/accounts/{id}/two-factor", account)
                .then()
                .statusCode(200)
                .body("accountId", equalTo(account))
                .body("appPasscodes.active", equalTo(1));
        Passcodes.decide(account.toUpperCase(Locale.ROOT), created.passcode(), "imap", null)
                .body("decision", equalTo("accept"));
    }

    @Test
    void nginxRefusesALoginItCannotHandBackInAscii() {
        String account = String.format(Locale.ROOT, "j\u00fcrgen-%s@example.test", suffix());
        Passcodes.Created created = Passcodes.create(account, "Phone");
        Passcodes.decide(account, created.passcode(), "imap", null).body("decision", equalTo("accept"));

        Api.as(Tokens.mailServer())
                .header("Auth-Method", "plain")
                .header("Auth-User", account.replace("\u00fc", "%C3%BC"))
                .header("Auth-Pass", created.passcode().replace(" ", "%20"))
                .header("Auth-Protocol", "imap")
                .header("Auth-Login-Attempt", "1")
                .get("/v1/mail-auth/nginx")
                .then()
                .statusCode(200)
                .header("Auth-Status", "Invalid login or password")
                .header("Auth-User", org.hamcrest.Matchers.nullValue());
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
