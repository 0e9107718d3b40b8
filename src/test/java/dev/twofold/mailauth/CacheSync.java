package dev.twofold.mailauth;

/** Lets tests start once the login cache trusts itself (the listener got its first heartbeat). */
final class CacheSync {

    private CacheSync() {}

    static void await(MailLoginCache cache) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!cache.usable()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("The credential change listener did not come up within 20 s");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
