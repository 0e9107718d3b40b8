package dev.twofold.mailauth.nginx;

import dev.twofold.account.AccountAccess;
import dev.twofold.api.NginxMailAuthApi;
import io.quarkus.security.Authenticated;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.smallrye.mutiny.Uni;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The nginx mail proxy's {@code auth_http} endpoint. nginx reads the outcome only from response
 * headers, so the reply is written onto the current response and the body stays empty.
 */
@Authenticated
public class NginxAuthResource implements NginxMailAuthApi {

    private static final Logger LOG = Logger.getLogger(NginxAuthResource.class);

    private final AccountAccess access;
    private final NginxMailAuthenticator authenticator;
    private final CurrentVertxRequest request;

    NginxAuthResource(AccountAccess access, NginxMailAuthenticator authenticator, CurrentVertxRequest request) {
        this.access = access;
        this.authenticator = authenticator;
        this.request = request;
    }

    @Override
    public Uni<Void> authenticateNginxMailLogin(
            String authMethod,
            String authUser,
            String authPass,
            String authProtocol,
            Integer authLoginAttempt,
            String clientIp,
            String clientHost) {
        access.requireMailServer();
        var response = request.getCurrent().response();
        return authenticator
                .authenticate(
                        new NginxLoginAttempt(authMethod, authUser, authPass, authProtocol, authLoginAttempt, clientIp))
                .invoke(reply -> reply.writeTo(response::putHeader))
                .replaceWithVoid();
    }

    /**
     * Headers outside the contract (longer than it allows, an attempt number that is none) make the
     * login unusable, and an unusable login is refused in headers like any other: nginx ignores the
     * status and the body, and an answer without {@code Auth-Status} fails the client's connection.
     */
    @ServerExceptionMapper({ConstraintViolationException.class, BadRequestException.class})
    Uni<RestResponse<Void>> refuseUnusableHeaders(HttpHeaders headers) {
        LOG.debugf("nginx auth_http request with headers outside the contract; refusing the login");
        NginxLoginAttempt withoutCredentials = new NginxLoginAttempt(
                headers.getHeaderString("Auth-Method"),
                null,
                null,
                headers.getHeaderString("Auth-Protocol"),
                attemptNumber(headers.getHeaderString("Auth-Login-Attempt")),
                null);
        return authenticator.authenticate(withoutCredentials).map(reply -> {
            RestResponse.ResponseBuilder<Void> answer = RestResponse.ResponseBuilder.ok();
            reply.writeTo(answer::header);
            return answer.build();
        });
    }

    private static Integer attemptNumber(String header) {
        return header != null && header.matches("0*[1-9][0-9]{0,8}") ? Integer.valueOf(header) : null;
    }
}
