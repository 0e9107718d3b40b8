package dev.twofold.mailauth;

import dev.twofold.account.AccountAccess;
import dev.twofold.account.AccountId;
import dev.twofold.api.MailAuthApi;
import dev.twofold.api.model.IntrospectionResponse;
import dev.twofold.api.model.MailCredential;
import dev.twofold.api.model.MailCredentialType;
import dev.twofold.api.model.MailLoginDecision;
import dev.twofold.api.model.MailLoginForm;
import dev.twofold.api.model.MailLoginOutcome;
import dev.twofold.api.model.MailLoginRequest;
import dev.twofold.api.model.MailProtocolSlug;
import dev.twofold.passcode.MailProtocol;
import dev.twofold.problem.FormBodies;
import dev.twofold.problem.ProblemException;
import dev.twofold.problem.ProblemType;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.ResponseStatus;

@Authenticated
public class MailAuthResource implements MailAuthApi {

    private static final String PROBLEM_JSON = "application/problem+json";

    private final MailLoginService logins;
    private final IntrospectionService introspection;
    private final AccountAccess access;
    private final CurrentIdentityAssociation identities;
    private final IntrospectionClients clients;
    private final FormBodies forms;

    MailAuthResource(
            MailLoginService logins,
            IntrospectionService introspection,
            AccountAccess access,
            CurrentIdentityAssociation identities,
            IntrospectionClients clients,
            FormBodies forms) {
        this.logins = logins;
        this.introspection = introspection;
        this.access = access;
        this.identities = identities;
        this.clients = clients;
        this.forms = forms;
    }

    // The generated method accepts JSON and forms with one JSON-bound parameter; JSON is served here
    // and forms by verifyMailLoginForm, so every JAX-RS annotation is restated.
    @Override
    @POST
    @Path("/v1/mail-auth/verify")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({MediaType.APPLICATION_JSON, PROBLEM_JSON})
    @ResponseStatus(200)
    public Uni<MailLoginDecision> verifyMailLogin(MailLoginRequest request) {
        access.requireMailServer();
        return logins.verify(new MailLogin(
                        AccountId.of(request.getAccountId()),
                        request.getSecret(),
                        request.getProtocol().toString(),
                        Optional.ofNullable(request.getClientIp()),
                        Optional.ofNullable(request.getClientName())))
                .map(MailAuthResource::decision);
    }

    /** The same decision for a form-encoded body (contract schema {@code MailLoginForm}), as Dovecot Lua builds it. */
    @POST
    @Path("/v1/mail-auth/verify")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces({MediaType.APPLICATION_JSON, PROBLEM_JSON})
    @ResponseStatus(200)
    public Uni<MailLoginDecision> verifyMailLoginForm(MultivaluedMap<String, String> form) {
        access.requireMailServer();
        MailLoginForm login = forms.read(form, MailLoginForm.class);
        return logins.verify(new MailLogin(
                        AccountId.of(login.getAccount()),
                        login.getSecret(),
                        login.getProtocol().toString(),
                        Optional.ofNullable(login.getClientIp()),
                        Optional.ofNullable(login.getClientName())))
                .map(MailAuthResource::decision);
    }

    /**
     * RFC 7662 over app passcodes. The caller is a mail-server bearer token, or a client
     * of {@code twofold.mail-auth.introspection.clients}; hence {@code @PermitAll} and the check here.
     * The protocol (an RFC 7662 extension parameter) decides whether a protocol-limited passcode is active.
     */
    @Override
    @PermitAll
    public Uni<IntrospectionResponse> introspectToken(
            String token,
            String dovecotService,
            String tokenTypeHint,
            MailProtocolSlug protocol,
            String clientId,
            String clientSecret) {
        // @PermitAll leaves the token unchecked until asked: resolve it without blocking, then make it
        // the request's identity so that AccountAccess can apply the usual caller rules.
        return identities
                .getDeferredIdentity()
                .invoke(identity -> identities.setIdentity(identity))
                .flatMap(identity -> {
                    String client;
                    if (!identity.isAnonymous()) {
                        access.requireMailServer();
                        client = identity.getPrincipal().getName();
                    } else if (clients.authenticates(clientId, clientSecret)) {
                        client = clientId;
                    } else {
                        throw new ProblemException(
                                ProblemType.AUTHENTICATION_REQUIRED,
                                "A mail-server bearer token or a registered client_id and client_secret are required.");
                    }
                    if (token == null || token.isEmpty() || token.length() > 256) {
                        throw ProblemException.invalidField("token", "must be 1-256 characters");
                    }
                    // The form field names the protocol; else Dovecot's service header (send_auth_headers = yes).
                    Optional<MailProtocol> asked = protocol != null
                            ? MailProtocol.ofSlug(protocol.toString())
                            : MailProtocol.ofDovecotService(dovecotService);
                    return introspection
                            .introspect(token, asked)
                            .map(found -> found.map(passcode -> new IntrospectionResponse()
                                            .active(true)
                                            .username(passcode.account().value())
                                            .sub(passcode.account().value())
                                            .clientId(client)
                                            .tokenType("Bearer")
                                            .scope(passcode.scope()
                                                    .protocols()
                                                    .map(set -> set.stream()
                                                            .map(MailProtocol::slug)
                                                            .collect(Collectors.joining(" ")))
                                                    .orElse(null))
                                            .iat(passcode.createdAt().getEpochSecond())
                                            .exp(passcode.expiresAt()
                                                    .map(expiry -> expiry.getEpochSecond())
                                                    .orElse(null)))
                                    .orElseGet(() -> new IntrospectionResponse().active(false)));
                });
    }

    private static MailLoginDecision decision(MailLoginResult result) {
        MailLoginDecision decision = new MailLoginDecision()
                .decision(
                        switch (result.decision()) {
                            case ACCEPT -> MailLoginOutcome.ACCEPT;
                            case REJECT -> MailLoginOutcome.REJECT;
                            case USE_PASSWORD -> MailLoginOutcome.USE_PASSWORD;
                        });
        result.credentialId()
                .ifPresent(id -> decision.credential(new MailCredential()
                        .type(MailCredentialType.APP_PASSCODE)
                        .id(id)
                        .name(result.credentialName().orElseThrow())));
        return decision.reason(result.reason().orElse(null));
    }
}
