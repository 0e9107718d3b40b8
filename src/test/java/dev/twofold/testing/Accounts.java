package dev.twofold.testing;

import java.util.UUID;

/** Fresh account ids, so tests sharing one database never see each other's state. */
public final class Accounts {

    private Accounts() {}

    public static String fresh() {
        return freshIn("example.com");
    }

    /** A fresh account of {@code domain}. */
    public static String freshIn(String domain) {
        return "user-" + UUID.randomUUID().toString().substring(0, 8) + "@" + domain;
    }

    /** A domain no other test uses, for domain policies (which reach every account of their domain). */
    public static String freshDomain() {
        return "d-" + UUID.randomUUID().toString().substring(0, 8) + ".example";
    }
}
