package dev.twofold.mailserver;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Real mail clients logging in: curl for IMAP and POP3 (it authenticates with SASL PLAIN), swaks
 * for SMTP AUTH PLAIN. Each login is timed from process start to exit.
 */
final class MailClient {

    private static final Pattern IMAP_LOGIN_REPLY = Pattern.compile("(?m)^< (A002 .*)$");
    private static final Pattern POP3_LOGIN_REPLY = Pattern.compile("(?m)^< ([+-](?:OK|ERR).*)$");
    private static final Pattern SMTP_AUTH_REPLY = Pattern.compile("(?m)^<[~*-]* +([2-5]\\d\\d .*)$");

    private MailClient() {}

    /** What the server answered to the login, and how long the whole client run took. */
    record Login(boolean accepted, String reply, Duration took) {}

    static Login imap(int port, String user, String secret) {
        return curl("imap://127.0.0.1:" + port + "/", user, secret, "> A002 AUTHENTICATE", IMAP_LOGIN_REPLY);
    }

    /** An IMAP login whose connection leaves from {@code source} (a loopback address such as 127.0.0.2). */
    static Login imapFrom(String source, int port, String user, String secret) {
        Run run = run(List.of(
                "curl",
                "--silent",
                "--show-error",
                "--verbose",
                "--max-time",
                "10",
                "--interface",
                source,
                "--user",
                user + ":" + secret,
                "imap://127.0.0.1:" + port + "/"));
        return new Login(
                run.exitCode() == 0,
                firstReplyAfter(run.output(), "> A002 AUTHENTICATE", IMAP_LOGIN_REPLY),
                run.took());
    }

    static Login pop3(int port, String user, String secret) {
        return curl("pop3://127.0.0.1:" + port + "/", user, secret, "> AUTH", POP3_LOGIN_REPLY);
    }

    static Login smtp(int port, String user, String secret) {
        Run run = run(List.of(
                "swaks",
                "--server",
                "127.0.0.1:" + port,
                "--helo",
                "client.twofold.test",
                "--auth",
                "PLAIN",
                "--auth-user",
                user,
                "--auth-password",
                secret,
                "--quit-after",
                "AUTH"));
        String reply = firstReplyAfter(run.output(), "-> AUTH", SMTP_AUTH_REPLY);
        return new Login(run.exitCode() == 0 && reply.startsWith("235"), reply, run.took());
    }

    private static Login curl(String url, String user, String secret, String loginCommand, Pattern loginReply) {
        Run run = run(List.of(
                "curl",
                "--silent",
                "--show-error",
                "--verbose",
                "--max-time",
                "10",
                "--user",
                user + ":" + secret,
                url));
        return new Login(run.exitCode() == 0, firstReplyAfter(run.output(), loginCommand, loginReply), run.took());
    }

    /** The server's first answer after the client sent the login (curl and swaks log both directions). */
    private static String firstReplyAfter(String output, String loginCommand, Pattern reply) {
        int sent = output.indexOf(loginCommand);
        if (sent < 0) {
            return "no login sent: "
                    + output.lines()
                            .filter(line -> !line.startsWith("*"))
                            .reduce((a, b) -> b)
                            .orElse("");
        }
        Matcher matcher = reply.matcher(output).region(sent, output.length());
        return matcher.find() ? matcher.group(1).strip() : "no answer to the login";
    }

    private record Run(int exitCode, String output, Duration took) {}

    private static Run run(List<String> command) {
        long start = System.nanoTime();
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), UTF_8);
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            return new Run(process.exitValue(), output, Duration.ofNanos(System.nanoTime() - start));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
