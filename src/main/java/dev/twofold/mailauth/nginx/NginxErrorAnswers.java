package dev.twofold.mailauth.nginx;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

/**
 * nginx reads {@code Auth-Status} even from an error answer (it ignores the HTTP status), so the
 * problems of the {@code auth_http} endpoint (a bad token, an internal error) carry a temporary
 * failure too: the client is told to retry later instead of getting a broken connection.
 */
class NginxErrorAnswers {

    private final NginxMailAuthConfig config;

    NginxErrorAnswers(NginxMailAuthConfig config) {
        this.config = config;
    }

    @ServerResponseFilter
    void authStatusOnProblems(
            ContainerRequestContext request, ContainerResponseContext response, SimpleResourceInfo resource) {
        if (response.getStatus() < 400
                || resource == null
                || resource.getResourceClass() == null
                || !NginxAuthResource.class.isAssignableFrom(resource.getResourceClass())) {
            return;
        }
        boolean smtp = "smtp".equalsIgnoreCase(request.getHeaderString("Auth-Protocol"));
        NginxAuthReply.temporaryFailure(smtp, config.failureWait()).writeTo(response.getHeaders()::putSingle);
    }
}
