package dev.twofold.benchtool;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The attack of the "cancelled-request flood" scenario: {@code POST …/app-passcodes} (one Argon2 hash
 * each) for ever new accounts at a fixed rate, each written on a fresh connection that is closed at
 * once, before any answer. Runs beside {@link ColdLoad}, whose clients are the victims.
 */
final class Flood implements AutoCloseable {

    private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
    private final InetSocketAddress service;
    private final List<byte[]> requests;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    /** Prepares {@code count} requests (one owner token per account, minted now, not during the run). */
    Flood(String baseUrl, PrivateKey idpKey, String issuer, int count) throws Exception {
        URI uri = URI.create(baseUrl);
        this.service = new InetSocketAddress(uri.getHost(), uri.getPort());
        this.requests = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String account = Population.account("flood-", i);
            String token = Jwts.mint(idpKey, issuer, account, "", Duration.ofHours(1));
            String body = "{\"name\":\"flood\"}";
            requests.add(("POST /v1/accounts/" + account + "/app-passcodes HTTP/1.1\r\nHost: " + uri.getHost()
                    + "\r\nAuthorization: Bearer " + token + "\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** Starts sending {@code perSecond} requests a second until closed or the prepared ones run out. */
    void start(int perSecond) {
        sender.scheduleAtFixedRate(this::sendOne, 0, 1_000_000 / perSecond, TimeUnit.MICROSECONDS);
    }

    private void sendOne() {
        int next = (int) sent.get();
        if (next >= requests.size()) {
            return;
        }
        try (Socket socket = new Socket()) {
            socket.connect(service, 2000);
            OutputStream out = socket.getOutputStream();
            out.write(requests.get(next));
            out.flush();
        } catch (IOException e) {
            failed.incrementAndGet();
        }
        sent.incrementAndGet();
    }

    long sent() {
        return sent.get();
    }

    long failed() {
        return failed.get();
    }

    @Override
    public void close() {
        sender.shutdownNow();
    }
}
