package dev.twofold.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Whether an {@code Accept} header admits the JSON body an operation answers. */
class AcceptHeaderTest {

    @ParameterizedTest(name = "Accept: {0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "application/json|true",
                "application/json; charset=utf-8|true",
                "*/*|true",
                "application/*|true",
                "text/html, application/xhtml+xml, application/xml;q=0.9, */*;q=0.8|true",
                "application/problem+json|false",
                "text/html|false",
                "text/*|false",
                "application/json;q=0|false",
                "application/json;q=0, */*|false",
                "*/*;q=0|false",
                "application/xml, application/json;q=0.1|true",
                "''|true",
                "garbage|true",
            })
    void admitsJson(String accept, boolean admits) {
        assertEquals(admits, ContentNegotiation.acceptsJson(List.of(accept)));
    }

    @Test
    void noHeaderAdmitsAnything() {
        assertEquals(true, ContentNegotiation.acceptsJson(null));
    }

    @Test
    void severalHeadersCountTogether() {
        assertEquals(true, ContentNegotiation.acceptsJson(List.of("text/html", "application/json")));
    }
}
