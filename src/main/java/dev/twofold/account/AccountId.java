package dev.twofold.account;

import dev.twofold.problem.ProblemException;
import java.util.Optional;

/**
 * An account's identity: the mail login, normalised the way every caller must agree on
 * (Dovecot lower-cases user names, nginx does not), so that "Alice@Example.com " and
 * "alice@example.com" are one account.
 *
 * <p>Only ASCII letters are case-folded. Full Unicode case mapping would merge ids that a directory
 * keeps apart (U+212A KELVIN SIGN lower-cases to ASCII {@code k}, U+0130 to {@code i̇}), so a token for
 * a look-alike name would reach another person's account. Non-ASCII characters are kept exactly as
 * given: no case folding, no Unicode normalisation; precomposed and combining forms are different
 * accounts. Characters a directory may silently drop (format characters such as zero-width joiners
 * and bidi controls, unassigned code points, lone surrogates, private use) are refused instead.
 */
public record AccountId(String value) {

    public static final int MAX_LENGTH = 320;

    public AccountId {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
            throw invalid();
        }
        if (value.codePoints().anyMatch(c -> Character.isISOControl(c) || Character.isWhitespace(c))) {
            throw invalid();
        }
    }

    /**
     * Trims ASCII white space and lower-cases ASCII letters of a login as received from any caller
     * (path, token {@code sub}, mail-auth body); rejects what no login can be.
     */
    public static AccountId of(String raw) {
        if (raw == null) {
            throw invalid();
        }
        String trimmed = trimAsciiWhitespace(raw);
        if (trimmed.codePoints().anyMatch(AccountId::mayVanish)) {
            throw invalid();
        }
        return new AccountId(lowerCaseAscii(trimmed));
    }

    /**
     * The mail domain the account belongs to (what domain policies and scoped admins name): the part
     * after the last {@code @}, already ASCII-lower-cased; empty for a login without one.
     */
    public Optional<String> domain() {
        int at = value.lastIndexOf('@');
        return at < 0 || at == value.length() - 1 ? Optional.empty() : Optional.of(value.substring(at + 1));
    }

    /** Code points some directory or client may strip, render invisibly or treat as a separator. */
    private static boolean mayVanish(int codePoint) {
        return switch (Character.getType(codePoint)) {
            case Character.FORMAT,
                    Character.UNASSIGNED,
                    Character.SURROGATE,
                    Character.PRIVATE_USE,
                    Character.SPACE_SEPARATOR,
                    Character.LINE_SEPARATOR,
                    Character.PARAGRAPH_SEPARATOR -> true;
            default -> false;
        };
    }

    private static String trimAsciiWhitespace(String raw) {
        int start = 0;
        int end = raw.length();
        while (start < end && isAsciiWhitespace(raw.charAt(start))) {
            start++;
        }
        while (end > start && isAsciiWhitespace(raw.charAt(end - 1))) {
            end--;
        }
        return raw.substring(start, end);
    }

    private static boolean isAsciiWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0b;
    }

    /** Lower-cases ASCII letters only, as account ids are compared (also their domains). */
    public static String lowerCaseAscii(String login) {
        char[] chars = login.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            if (chars[i] >= 'A' && chars[i] <= 'Z') {
                chars[i] = (char) (chars[i] + ('a' - 'A'));
            }
        }
        return new String(chars);
    }

    private static ProblemException invalid() {
        return ProblemException.invalidField(
                "accountId", "must be 1-320 characters without spaces, control, format or unassigned characters");
    }

    @Override
    public String toString() {
        return value;
    }
}
