package dev.twofold.account;

import dev.twofold.problem.ProblemException;
import dev.twofold.problem.ProblemType;
import java.util.Locale;

/**
 * An account's identity: the mail login, normalised the way every caller must agree on
 * (Dovecot lower-cases user names, nginx does not), so that "Alice@Example.com " and
 * "alice@example.com" are one account.
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

    /** Trims and lower-cases a login as received from any caller; rejects what no login can be. */
    public static AccountId of(String raw) {
        if (raw == null) {
            throw invalid();
        }
        return new AccountId(raw.strip().toLowerCase(Locale.ROOT));
    }

    private static ProblemException invalid() {
        return new ProblemException(
                ProblemType.VALIDATION_FAILED,
                "An account id is 1-320 characters without spaces or control characters.");
    }

    @Override
    public String toString() {
        return value;
    }
}
