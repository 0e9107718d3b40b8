package dev.twofold.mailauth;

import dev.twofold.account.AccountAccess;
import dev.twofold.api.NginxMailAuthApi;
import io.quarkus.security.Authenticated;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.smallrye.mutiny.Uni;

/**
 * The nginx mail proxy's {@code auth_http} endpoint. nginx reads the outcome only from response
 * headers, so the reply is written onto the current response and the body stays empty.
 */
@Authenticated
public class NginxAuthResource implements NginxMailAuthApi {

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
                .authenticate(new NginxLoginAttempt(authMethod, authUser, authPass, authProtocol, authLoginAttempt,
                        clientIp))
                .invoke(reply -> reply.writeTo(response::putHeader))
                .replaceWithVoid();
    }
}
