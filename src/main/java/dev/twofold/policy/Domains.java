package dev.twofold.policy;

import dev.twofold.account.AccountId;
import dev.twofold.problem.ProblemException;
import java.util.regex.Pattern;

/** Mail domains as the admin API names them, normalised the way {@link dev.twofold.account.AccountId} is. */
final class Domains {

    private static final int MAX_LENGTH = 253;
    /** Labels of letters (any script), digits and inner hyphens; IDN domains may be given in either form. */
    private static final Pattern DOMAIN =
            Pattern.compile("(?:[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]{0,61}[\\p{L}\\p{N}])?\\.)*"
                    + "[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]{0,61}[\\p{L}\\p{N}])?");

    private Domains() {}

    /** The domain with ASCII letters lower-cased; {@code validation-failed} for what no domain can be. */
    static String normalise(String raw) {
        if (raw == null
                || raw.isEmpty()
                || raw.length() > MAX_LENGTH
                || !DOMAIN.matcher(raw).matches()) {
            throw ProblemException.invalidField("domain", "must be a domain name such as example.com");
        }
        return AccountId.lowerCaseAscii(raw);
    }
}
