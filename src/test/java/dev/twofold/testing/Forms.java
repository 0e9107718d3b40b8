package dev.twofold.testing;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Form-encoded bodies written out in full: the contract validator only sees a body that is set as
 * a string (RestAssured's formParam is encoded after the filters have run).
 */
public final class Forms {

    private Forms() {}

    /** {@code name, value, name, value...}, encoded as application/x-www-form-urlencoded. */
    public static String encode(String... namesAndValues) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return fields.entrySet().stream()
                .map(field -> encode(field.getKey()) + "=" + encode(field.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
