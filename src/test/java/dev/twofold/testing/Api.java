package dev.twofold.testing;

import static io.restassured.RestAssured.given;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.restassured.OpenApiValidationFilter;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.apache.http.impl.client.DefaultHttpClient;

/**
 * Entry point for HTTP calls in tests: every response is validated against {@code
 * openapi/twofold.yaml} (status, content type, schema), so a drift from the contract fails the test.
 */
public final class Api {

    private static final OpenApiValidationFilter CONTRACT = filter(false);
    /** Same response checks, but lets deliberately malformed requests through. */
    private static final OpenApiValidationFilter CONTRACT_RESPONSES_ONLY = filter(true);

    private Api() {}

    /** A request with the given bearer token whose request and response must both match the contract. */
    public static RequestSpecification as(String token) {
        return given().filter(CONTRACT).auth().oauth2(token).contentType(ContentType.JSON);
    }

    /** A request without a token. */
    public static RequestSpecification anonymous() {
        return given().filter(CONTRACT_RESPONSES_ONLY).contentType(ContentType.JSON);
    }

    /** A request that may break the contract on purpose; only the response is validated. */
    public static RequestSpecification hostile(String token) {
        return given().filter(CONTRACT_RESPONSES_ONLY).auth().oauth2(token);
    }

    /** A request whose {@code Authorization} header is sent exactly as given. */
    public static RequestSpecification withAuthorization(String headerValue) {
        return given().filter(CONTRACT_RESPONSES_ONLY)
                .header("Authorization", headerValue)
                .contentType(ContentType.JSON);
    }

    /**
     * A client configuration that leaves out {@code headers} as sent on the wire: RestAssured itself
     * always adds {@code Accept: *}{@code /*} and the body's {@code Content-Type}.
     */
    public static RestAssuredConfig omitting(String... headers) {
        return RestAssured.config()
                .httpClient(HttpClientConfig.httpClientConfig().httpClientFactory(() -> {
                    DefaultHttpClient client = new DefaultHttpClient();
                    client.addRequestInterceptor((request, context) -> {
                        for (String header : headers) {
                            request.removeHeaders(header);
                        }
                    });
                    return client;
                }));
    }

    private static OpenApiValidationFilter filter(boolean ignoreRequestErrors) {
        LevelResolver.Builder levels = LevelResolver.create();
        if (ignoreRequestErrors) {
            levels.withLevel("validation.request", ValidationReport.Level.IGNORE);
        }
        return new OpenApiValidationFilter(OpenApiInteractionValidator.createForSpecificationUrl(
                        java.nio.file.Path.of("openapi/twofold.yaml").toUri().toString())
                .withLevelResolver(levels.build())
                .build());
    }
}
