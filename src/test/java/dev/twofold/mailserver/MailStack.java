package dev.twofold.mailserver;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.jboss.logging.Logger;

/**
 * Real Dovecot (IMAP, POP3, SASL for Postfix), Postfix (SMTP AUTH) and nginx (mail proxy) on
 * loopback high ports, configured from the files operators get in {@code deploy/}: those are only
 * templated for ports, paths, Twofold's URL and the service token; the scaffolding around them
 * (listeners, directories, a primary-password passdb) lives in {@code src/test/resources/mailserver}.
 * Every daemon runs in the foreground as a child of this JVM and is stopped by its process handle.
 */
final class MailStack {

    /** The operator's own primary password, checked by Dovecot's last passdb for every account. */
    static final String PRIMARY_PASSWORD = "Primary+P\u00e4ssw\u00f6rd-1";

    private static final Logger LOG = Logger.getLogger(MailStack.class);
    private static final Path DEPLOY = Path.of("deploy").toAbsolutePath();
    private static final Path SCAFFOLDING =
            Path.of("src/test/resources/mailserver").toAbsolutePath();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final List<String> BINARIES = List.of(
            "/usr/sbin/dovecot",
            "/usr/sbin/nginx",
            "/usr/sbin/postfix",
            "/usr/bin/swaks",
            "/usr/bin/curl",
            "/usr/lib/nginx/modules/ngx_mail_module.so",
            "/usr/lib/dovecot/modules/auth/libauthdb_lua.so");

    private static MailStack current;

    private final Path dir;
    private final String run;
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final String backendPassword;
    private final String introspectionSecret;
    private final Map<String, Process> daemons = new LinkedHashMap<>();
    private final Thread reaper = new Thread(this::stop, "mail-stack-reaper");
    private URI twofold;
    private String serviceToken;
    private RuntimeException startFailure;

    private MailStack(Path dir, String run) {
        this.dir = dir;
        this.run = run;
        for (String name : List.of(
                "IMAP_PORT",
                "POP3_PORT",
                "SASL_PORT",
                "SMTP_PORT",
                "NGINX_IMAP_PORT",
                "NGINX_POP3_PORT",
                "NGINX_SMTP_PORT",
                "OAUTH2_IMAP_PORT",
                "CLOSED_PORT")) {
            ports.put(name, freePort());
        }
        this.backendPassword = randomHex();
        this.introspectionSecret = randomHex();
    }

    private static String randomHex() {
        byte[] secret = new byte[20];
        new SecureRandom().nextBytes(secret);
        return HexFormat.of().formatHex(secret);
    }

    /** Makes the stack of this test run: ports, directories, the backend password; nothing runs yet. */
    static synchronized MailStack prepare() {
        String run = Long.toString(ProcessHandle.current().pid()) + "-" + System.nanoTime() % 100_000;
        Path dir = traversableByDaemons(Path.of("target").toAbsolutePath())
                .orElse(Path.of(System.getProperty("java.io.tmpdir")))
                .resolve(Path.of("mail-e2e", run));
        current = new MailStack(dir, run);
        return current;
    }

    /**
     * {@code dir} if the daemons' own users (mail, postfix) can reach files below it, i.e. every
     * ancestor is world-searchable; a checkout under a private home directory is not.
     */
    private static Optional<Path> traversableByDaemons(Path dir) {
        for (Path ancestor = dir.getParent(); ancestor != null; ancestor = ancestor.getParent()) {
            try {
                if (!Files.getPosixFilePermissions(ancestor).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    return Optional.empty();
                }
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        return Optional.of(dir);
    }

    static synchronized MailStack current() {
        if (current == null) {
            throw new IllegalStateException("MailStackResource did not prepare the mail stack");
        }
        return current;
    }

    /**
     * Whether the mail packages are there, installing them with deploy/e2e/install-mail-packages.sh
     * if they are not (root and Debian's package mirror needed).
     */
    static boolean packagesInstalled() {
        if (binariesPresent()) {
            return true;
        }
        LOG.warn("Mail packages missing: running deploy/e2e/install-mail-packages.sh");
        try {
            Process install = new ProcessBuilder(
                            "bash",
                            DEPLOY.resolve("e2e/install-mail-packages.sh").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(
                            Path.of("target", "install-mail-packages.log").toFile())
                    .start();
            if (!install.waitFor(10, TimeUnit.MINUTES)) {
                install.destroyForcibly();
            }
        } catch (IOException e) {
            LOG.error("Cannot run the mail package installer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return binariesPresent();
    }

    private static boolean binariesPresent() {
        return BINARIES.stream().allMatch(binary -> Files.exists(Path.of(binary)));
    }

    /** Where this run's configurations, logs and mail live. */
    Path dir() {
        return dir;
    }

    int port(String name) {
        return ports.get(name);
    }

    String backendPassword() {
        return backendPassword;
    }

    /** The client secret Dovecot's oauth2 passdb sends to the introspection endpoint (client id "dovecot"). */
    String introspectionSecret() {
        return introspectionSecret;
    }

    /** Renders every configuration for Twofold at {@code twofold} and starts Dovecot, Postfix and nginx. */
    synchronized void start(URI twofold, String serviceToken) {
        if (startFailure != null) {
            throw new IllegalStateException("The mail stack failed to start; see " + dir, startFailure);
        }
        if (!daemons.isEmpty()) {
            return;
        }
        try {
            startDaemons(twofold, serviceToken);
        } catch (RuntimeException e) {
            startFailure = e;
            stop();
            throw e;
        }
    }

    private void startDaemons(URI twofold, String serviceToken) {
        this.twofold = twofold;
        this.serviceToken = serviceToken;
        try {
            writeConfiguration();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(reaper);
        launch("dovecot", "dovecot", "-F", "-c", dir.resolve("dovecot.conf").toString());
        launch(
                "dovecot-oauth2",
                "dovecot",
                "-F",
                "-c",
                dir.resolve("dovecot-oauth2.conf").toString());
        launch("postfix", "postfix", "-c", dir.resolve("postfix").toString(), "start-fg");
        launch(
                "nginx",
                "nginx",
                "-e",
                dir.resolve("nginx.log").toString(),
                "-c",
                dir.resolve("nginx.conf").toString(),
                "-g",
                "daemon off;");
        for (String port : List.of(
                "IMAP_PORT",
                "POP3_PORT",
                "SASL_PORT",
                "SMTP_PORT",
                "NGINX_IMAP_PORT",
                "NGINX_POP3_PORT",
                "NGINX_SMTP_PORT",
                "OAUTH2_IMAP_PORT")) {
            awaitListening(port);
        }
    }

    /** Points Dovecot's Lua passdb at a closed port, as if Twofold were down (read on every login). */
    void cutOffTwofold() {
        writeLuaSettings(URI.create("http://127.0.0.1:" + port("CLOSED_PORT")));
    }

    void reconnectTwofold() {
        writeLuaSettings(twofold);
    }

    /** Stops every daemon (and its children) by process handle; safe to call twice. */
    synchronized void stop() {
        for (Process daemon : daemons.values()) {
            daemon.descendants().forEach(ProcessHandle::destroy);
            daemon.destroy();
        }
        for (Process daemon : daemons.values()) {
            try {
                if (!daemon.waitFor(10, TimeUnit.SECONDS)) {
                    daemon.descendants().forEach(ProcessHandle::destroyForcibly);
                    daemon.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        daemons.clear();
    }

    private void writeConfiguration() throws IOException {
        Files.createDirectories(dir.resolve("dovecot"));
        Files.createDirectories(dir.resolve("dovecot-oauth2"));
        Files.createDirectories(dir.resolve("postfix/queue"));
        Files.createDirectories(dir.resolve("postfix/data"));
        Path mail = Files.createDirectories(dir.resolve("mail"));
        UserPrincipalLookupService users = mail.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(mail, users.lookupPrincipalByName("mail"));
        Files.setOwner(dir.resolve("postfix/data"), users.lookupPrincipalByName("postfix"));
        String twofoldBase = "http://" + twofold.getHost() + ":" + twofold.getPort();

        Map<String, String> scaffolding = new LinkedHashMap<>();
        scaffolding.put("@@DIR@@", dir.toString());
        scaffolding.put("@@RUN@@", run);
        scaffolding.put("@@MAIL_UID@@", numericId("-u", "mail"));
        scaffolding.put("@@MAIL_GID@@", numericId("-g", "mail"));
        scaffolding.put("@@PRIMARY_PASSWORD@@", PRIMARY_PASSWORD);
        ports.forEach((name, port) -> scaffolding.put("@@" + name + "@@", Integer.toString(port)));

        write("dovecot.conf", ConfigTemplate.render(SCAFFOLDING.resolve("dovecot.conf"), scaffolding));
        write(
                "dovecot-twofold.conf",
                ConfigTemplate.render(
                        DEPLOY.resolve("dovecot/dovecot.conf.snippet"),
                        Map.of(
                                "/etc/dovecot/twofold-passdb.lua",
                                        DEPLOY.resolve("dovecot/twofold-passdb.lua")
                                                .toString(),
                                "/etc/dovecot/twofold-passdb.conf",
                                        dir.resolve("twofold-passdb.conf").toString())));
        write(
                "dovecot-backend.conf",
                ConfigTemplate.render(
                        DEPLOY.resolve("nginx/dovecot-backend.conf.snippet"),
                        Map.of("<backend-password>", backendPassword, "10.0.0.6/32", "127.0.0.1/32")));
        write(
                "dovecot-sasl.conf",
                ConfigTemplate.render(
                        DEPLOY.resolve("postfix/dovecot-sasl.conf.snippet"),
                        Map.of("12345", Integer.toString(port("SASL_PORT")))));
        write("dovecot-oauth2.conf", ConfigTemplate.render(SCAFFOLDING.resolve("dovecot-oauth2.conf"), scaffolding));
        write(
                "dovecot-oauth2-passdb.conf",
                ConfigTemplate.render(
                        DEPLOY.resolve("dovecot/oauth2-introspection.conf.snippet"),
                        Map.of(
                                "/etc/dovecot/dovecot-oauth2-twofold.conf.ext",
                                dir.resolve("dovecot-oauth2.conf.ext").toString())));
        write(
                "dovecot-oauth2.conf.ext",
                ConfigTemplate.render(
                        DEPLOY.resolve("dovecot/dovecot-oauth2-twofold.conf.ext"),
                        Map.of("http://10.0.0.7:8080", twofoldBase, "<client-secret>", introspectionSecret)));
        write("twofold.token", serviceToken);
        writeLuaSettings(twofold);

        write(
                "postfix/main.cf",
                ConfigTemplate.render(SCAFFOLDING.resolve("postfix-main.cf"), scaffolding)
                        + ConfigTemplate.render(
                                DEPLOY.resolve("postfix/main.cf.snippet"),
                                Map.of("inet:127.0.0.1:12345", "inet:127.0.0.1:" + port("SASL_PORT")))
                        + ConfigTemplate.render(SCAFFOLDING.resolve("postfix-after.cf"), Map.of()));
        write("postfix/master.cf", ConfigTemplate.render(SCAFFOLDING.resolve("postfix-master.cf"), scaffolding));

        write("nginx.conf", ConfigTemplate.render(SCAFFOLDING.resolve("nginx.conf"), scaffolding));
        write(
                "nginx-mail.conf",
                ConfigTemplate.render(
                        DEPLOY.resolve("nginx/nginx-mail.conf"),
                        Map.of(
                                "http://10.0.0.7:8080", twofoldBase,
                                "<mail-server-token>", serviceToken,
                                "listen 143;", "listen 127.0.0.1:" + port("NGINX_IMAP_PORT") + ";",
                                "listen 110;", "listen 127.0.0.1:" + port("NGINX_POP3_PORT") + ";",
                                "listen 587;", "listen 127.0.0.1:" + port("NGINX_SMTP_PORT") + ";")));
    }

    private void writeLuaSettings(URI base) {
        write(
                "twofold-passdb.conf",
                "url = " + base.resolve("/v1/mail-auth/verify") + "\n" + "token_file = " + dir.resolve("twofold.token")
                        + "\n");
    }

    private void write(String name, String content) {
        try {
            Files.writeString(dir.resolve(name), content, UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void launch(String name, String... command) {
        try {
            Process daemon = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve(name + ".out").toFile())
                    .start();
            daemons.put(name, daemon);
            LOG.infof("Started %s (pid %d), logs in %s", name, daemon.pid(), dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + name, e);
        }
    }

    private void awaitListening(String portName) {
        Awaitility.await(portName + " is not listening after " + START_TIMEOUT + "; see " + dir)
                .atMost(START_TIMEOUT)
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> listening(portName));
    }

    private boolean listening(String portName) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port(portName)), 200);
            return true;
        } catch (IOException notYet) {
            daemons.forEach((name, daemon) -> {
                if (!daemon.isAlive()) {
                    throw new IllegalStateException(name + " exited during start; see " + dir);
                }
            });
            return false;
        }
    }

    private static String numericId(String flag, String user) {
        try {
            Process id = new ProcessBuilder("id", flag, user).start();
            String value = new String(id.getInputStream().readAllBytes(), UTF_8).strip();
            id.waitFor(5, TimeUnit.SECONDS);
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
