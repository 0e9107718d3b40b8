package dev.twofold.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The requests the commands build (policy, import, erase, export): URL, method, headers and body,
 * recorded before anything is sent, down to encoding and flags that are awkward to reach end to end.
 * The runs against the service are {@link TwofoldctlProcessTest}'s.
 */
class CtlRequestsTest {

    private static final String BASE = "http://twofold.test:8080/prefix/";
    private static final String TOKEN = "header.payload.signature";

    /** Keeps the request and fails the exchange as if nothing listened, so no response is made up. */
    private static final class Recorder implements Transport {
        HttpRequest request;

        @Override
        public <T> HttpResponse<T> send(HttpRequest sent, HttpResponse.BodyHandler<T> handler) throws IOException {
            request = sent;
            throw new IOException("recorded, not sent");
        }
    }

    private record Run(int exitCode, String out, String err, HttpRequest request) {}

    private static Run run(String... args) {
        Recorder recorder = new Recorder();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Main.commandLine(recorder)
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err))
                .execute(args);
        return new Run(exitCode, out.toString(), err.toString(), recorder.request);
    }

    private static Run runAgainstBase(String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(new String[] {"--url", BASE, "--token", TOKEN}, 0, all, args.length, 4);
        Run run = run(all);
        assertEquals(ExitCodes.UNREACHABLE, run.exitCode(), run.err());
        assertEquals(
                "Bearer " + TOKEN,
                run.request().headers().firstValue("Authorization").orElseThrow());
        return run;
    }

    private static void assertSent(HttpRequest request, String method, String uri) {
        assertEquals(method + " " + uri, request.method() + " " + request.uri());
    }

    private static byte[] body(HttpRequest request) throws Exception {
        ByteArrayOutputStream collected = new ByteArrayOutputStream();
        CompletableFuture<Void> complete = new CompletableFuture<>();
        request.bodyPublisher().orElseThrow().subscribe(new Flow.Subscriber<ByteBuffer>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteBuffer item) {
                byte[] bytes = new byte[item.remaining()];
                item.get(bytes);
                collected.writeBytes(bytes);
            }

            @Override
            public void onError(Throwable throwable) {
                complete.completeExceptionally(throwable);
            }

            @Override
            public void onComplete() {
                complete.complete(null);
            }
        });
        complete.get(10, TimeUnit.SECONDS);
        return collected.toByteArray();
    }

    @Test
    void policySetPutsExactlyTheGivenFields() throws Exception {
        HttpRequest put = runAgainstBase(
                        "policy",
                        "set",
                        "Example.org",
                        "--two-factor",
                        "required",
                        "--grace",
                        "P14D",
                        "--mail-password",
                        "never",
                        "--allowed-protocols",
                        "imap,smtp",
                        "--max-app-passcodes",
                        "5",
                        "--passcode-lifetime",
                        "P365D")
                .request();
        assertSent(put, "PUT", "http://twofold.test:8080/prefix/v1/admin/domains/Example.org/policy");
        assertEquals(
                "application/json", put.headers().firstValue("Content-Type").orElseThrow());
        ObjectMapper json = new ObjectMapper();
        assertEquals(
                json.readTree(
                        "{\"twoFactor\":\"required\",\"enrollmentGracePeriod\":\"P14D\",\"mailPassword\":\"never\","
                                + "\"allowedProtocols\":[\"imap\",\"smtp\"],\"maxAppPasscodes\":5,\"appPasscodeLifetime\":\"P365D\"}"),
                json.readTree(body(put)));
        assertEquals(
                json.readTree("{\"mailPassword\":\"allowed\"}"),
                json.readTree(body(runAgainstBase("policy", "set", "example.org", "--mail-password", "allowed")
                        .request())));
    }

    @Test
    void policySetWithoutAnyFieldIsAUsageError() {
        Run run = run("policy", "set", "example.org", "--url", BASE, "--token", TOKEN);
        assertEquals(ExitCodes.USAGE, run.exitCode());
        assertNull(run.request());
    }

    @Test
    void policyGetAndClearAddressTheDomainsPolicy() {
        HttpRequest get = runAgainstBase("policy", "get", "example.org").request();
        assertSent(get, "GET", "http://twofold.test:8080/prefix/v1/admin/domains/example.org/policy");
        HttpRequest clear = runAgainstBase("policy", "clear", "example.org").request();
        assertSent(clear, "DELETE", get.uri().toString());
    }

    @Test
    void importStreamsTheFileAsNdjson(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("accounts.ndjson");
        Files.writeString(file, "{\"accountId\":\"a@example.org\"}\n{\"accountId\":\"b@example.org\"}\n");
        HttpRequest post = runAgainstBase("import", file.toString(), "--dry-run", "--no-progress")
                .request();
        assertSent(post, "POST", "http://twofold.test:8080/prefix/v1/admin/imports?dryRun=true");
        assertEquals(
                "application/x-ndjson",
                post.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("application/x-ndjson", post.headers().firstValue("Accept").orElseThrow());
        // From the file, not from memory: the publisher knows the file's length and reads its bytes.
        assertEquals(Files.size(file), post.bodyPublisher().orElseThrow().contentLength());
        assertEquals(Files.readString(file), new String(body(post), StandardCharsets.UTF_8));

        HttpRequest real =
                runAgainstBase("import", file.toString(), "--no-progress").request();
        assertEquals(
                "http://twofold.test:8080/prefix/v1/admin/imports", real.uri().toString());
    }

    @Test
    void importOfAMissingFileIsAUsageError(@TempDir Path dir) {
        Run run = run("import", dir.resolve("absent.ndjson").toString(), "--url", BASE, "--token", TOKEN);
        assertEquals(ExitCodes.USAGE, run.exitCode());
        assertTrue(run.err().contains("no such file"), run.err());
    }

    @Test
    void eraseWithYesDeletesTheAccountThroughTheAdminApi() {
        HttpRequest delete =
                runAgainstBase("erase", "alice@example.org", "--yes").request();
        assertSent(delete, "DELETE", "http://twofold.test:8080/prefix/v1/admin/accounts/alice@example.org");
    }

    @Test
    void eraseWithoutTerminalOrYesSendsNothing() {
        Run run = run("erase", "alice@example.org", "--url", BASE, "--token", TOKEN);
        assertEquals(ExitCodes.USAGE, run.exitCode());
        assertTrue(run.err().contains("pass --yes"), run.err());
        assertNull(run.request());
    }

    @Test
    void exportEncodesTheAccountIdAsOneSegment() {
        HttpRequest get = runAgainstBase("export", "odd/name é@example.org").request();
        assertSent(get, "GET", "http://twofold.test:8080/prefix/v1/accounts/odd%2Fname%20%C3%A9@example.org/export");
    }

    @Test
    void revokeNeedsEitherOneIdOrAll() {
        assertEquals(
                ExitCodes.USAGE,
                run("passcodes", "revoke", "a@example.org", "--url", BASE, "--token", TOKEN)
                        .exitCode());
        assertEquals(
                ExitCodes.USAGE,
                run("passcodes", "revoke", "a@example.org", "some-id", "--all", "--url", BASE, "--token", TOKEN)
                        .exitCode());
    }

    @Test
    void tokenNeverAppearsInMessages(@TempDir Path dir) throws IOException {
        Path tokenFile = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        Run both =
                run("status", "a@example.org", "--url", BASE, "--token", TOKEN, "--token-file", tokenFile.toString());
        assertEquals(ExitCodes.USAGE, both.exitCode());
        assertFalse(both.err().contains(TOKEN), both.err());

        Run fromFile = run("status", "a@example.org", "--url", BASE, "--token-file", tokenFile.toString());
        assertEquals(
                "Bearer " + TOKEN,
                fromFile.request().headers().firstValue("Authorization").orElseThrow());
        assertFalse(fromFile.err().contains(TOKEN), fromFile.err());
    }

    @Test
    void aUrlWithoutHostIsAUsageError() {
        assertEquals(
                ExitCodes.USAGE,
                run("status", "a@example.org", "--url", "twofold.test:8080", "--token", TOKEN)
                        .exitCode());
    }
}
