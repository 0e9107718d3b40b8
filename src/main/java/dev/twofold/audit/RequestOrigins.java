package dev.twofold.audit;

import io.vertx.core.http.HttpServerRequest;

/**
 * The end user's origin for requests from a web front-end. Behind a proxy, set
 * {@code quarkus.http.proxy.proxy-address-forwarding=true} (and trusted proxies) so that the
 * remote address is the user's, not the proxy's.
 */
public final class RequestOrigins {

    private RequestOrigins() {}

    public static EventOrigin of(HttpServerRequest request) {
        String ip =
                request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        return EventOrigin.web(ip, request.getHeader("User-Agent"));
    }
}
