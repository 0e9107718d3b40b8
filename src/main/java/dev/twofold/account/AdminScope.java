package dev.twofold.account;

import dev.twofold.problem.ProblemException;
import dev.twofold.problem.ProblemType;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** The {@code twofold_domains} claim of an admin token: the domains a helpdesk may reach. */
final class AdminScope {

    static final String CLAIM = "twofold_domains";

    private AdminScope() {}

    /**
     * Empty without the claim (every domain). A claim that is not an array of strings is refused rather
     * than read as "every domain": a typo must not widen a helpdesk's reach.
     */
    static Optional<Set<String>> domains(JsonWebToken token) {
        Object claim = token.getClaim(CLAIM);
        if (claim == null) {
            return Optional.empty();
        }
        Stream<?> items;
        if (claim instanceof JsonArray array) {
            items = array.stream();
        } else if (claim instanceof Collection<?> collection) {
            items = collection.stream();
        } else {
            throw invalid();
        }
        return Optional.of(items.map(AdminScope::domain).collect(Collectors.toUnmodifiableSet()));
    }

    private static String domain(Object item) {
        String text;
        if (item instanceof JsonString string) {
            text = string.getString();
        } else if (item instanceof String string && !(item instanceof JsonValue)) {
            text = string;
        } else {
            throw invalid();
        }
        // Account ids fold only ASCII letters; so do the domains they are compared with.
        return AccountId.lowerCaseAscii(text.strip());
    }

    private static ProblemException invalid() {
        return new ProblemException(
                ProblemType.AUTHENTICATION_REQUIRED, "The token's " + CLAIM + " claim is not an array of domains.");
    }
}
