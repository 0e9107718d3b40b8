package dev.twofold.audit;

import dev.twofold.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque paging cursor of the event list: the id of the last event on a page. Ids only grow, so
 * "older than the cursor" stays the same set of events however many are recorded meanwhile.
 */
final class EventCursor {

    private static final String PREFIX = "before:";

    private EventCursor() {}

    static String encode(long lastId) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((PREFIX + lastId).getBytes(StandardCharsets.US_ASCII));
    }

    /** The event id a cursor stands for; a cursor this service did not issue is a client error. */
    static long decode(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            if (text.startsWith(PREFIX)) {
                long id = Long.parseLong(text.substring(PREFIX.length()));
                if (id > 0) {
                    return id;
                }
            }
        } catch (IllegalArgumentException e) {
            // Not base64url or not a number: same answer as any other foreign cursor.
        }
        throw ProblemException.invalidField("before", "is not a cursor this service issued");
    }
}
