package dev.twofold.audit;

import dev.twofold.account.AccountId;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;
import java.util.Map;
import java.util.Optional;

/** Records events the way features do, in a transaction of their own, for tests of what reads them. */
final class RecordedEvents {

    private RecordedEvents() {}

    static void record(
            SecurityEventLog log,
            String account,
            SecurityEventType type,
            EventOrigin origin,
            Map<String, String> detail) {
        try {
            VertxContextSupport.subscribeAndAwait(
                    () -> Panache.withTransaction(() -> log.record(AccountId.of(account), type, origin, detail)));
        } catch (Throwable e) {
            throw new IllegalStateException("Recording a test event failed", e);
        }
    }

    /** An origin as a mail login records it: the client's IP and the protocol, no user agent. */
    static EventOrigin mailLogin(String ip, String protocol) {
        return new EventOrigin(Optional.of(ip), Optional.of(protocol), Optional.empty());
    }

    static void record(SecurityEventLog log, String account, SecurityEventType type) {
        record(log, account, type, EventOrigin.web("192.0.2.10", "JUnit"), Map.of());
    }
}
