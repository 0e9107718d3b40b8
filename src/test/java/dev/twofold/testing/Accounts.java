package dev.twofold.testing;

import java.util.UUID;

/** Fresh account ids, so tests sharing one database never see each other's state. */
public final class Accounts {

    private Accounts() {}

    public static String fresh() {
        return "user-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }
}
