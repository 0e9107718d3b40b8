package dev.twofold.ctl;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Sends one request: {@link java.net.http.HttpClient#send} in the CLI, a recorder in request-building tests. */
@FunctionalInterface
interface Transport {

    <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException;
}
