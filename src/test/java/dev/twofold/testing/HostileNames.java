package dev.twofold.testing;

import java.util.stream.Stream;

/**
 * Display names that would break the lines they are written into (logs, webhook e-mails) or
 * reorder what is shown around them: each must be refused wherever a credential gets a name.
 */
public final class HostileNames {

    private HostileNames() {}

    public static Stream<String> withControlCharacters() {
        return Stream.of(
                "Phone\r\nBcc: attacker@example.test",
                "Phone\nsecond line",
                "Phone\u0000",
                "Phone\u2028second line",
                "Phone\u2029",
                "Phone\u0085second line",
                "Phone\u001b[31m",
                "Phone\u007f",
                "\u202Eenohp",
                "Phone \u2066isolate\u2069",
                "Phone\u200F");
    }
}
