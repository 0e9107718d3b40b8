package dev.twofold.mailauth;

import java.time.Duration;
import org.awaitility.Awaitility;

/** Lets tests start once the login cache trusts itself (the listener got its first heartbeat). */
final class CacheSync {

    private CacheSync() {}

    static void await(MailLoginCache cache) {
        Awaitility.await("The credential change listener did not come up within 20 s")
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50))
                .until(cache::usable);
    }
}
