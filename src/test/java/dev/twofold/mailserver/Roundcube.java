package dev.twofold.mailserver;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Debian's Roundcube 1.6 with the plugin from deploy/roundcube/twofold, served on 127.0.0.1 by PHP's
 * built-in web server (a test stand-in for Apache or nginx + PHP-FPM: same PHP, same Roundcube code,
 * one process). Its own directory holds the configuration, the SQLite database and the logs; the
 * packaged Roundcube files are linked, never changed.
 */
final class Roundcube {

    private static final Logger LOG = Logger.getLogger(Roundcube.class);
    private static final Path PACKAGED = Path.of("/usr/share/roundcube");
    private static final Path PLUGIN = Path.of("deploy/roundcube/twofold").toAbsolutePath();
    static final List<String> BINARIES = List.of(
            "/usr/share/roundcube/index.php",
            "/etc/roundcube/defaults.inc.php",
            "/usr/bin/php",
            "/usr/bin/chromium",
            "/usr/bin/chromedriver");

    private final Path dir;
    private final int port;
    private Process server;

    private Roundcube(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /**
     * Writes the installation and starts it.
     *
     * @param twofold the service as Roundcube reaches it
     * @param signingKey PEM file of the key Roundcube signs its users' tokens with
     * @param keyId that key's {@code kid} in the JWKS Twofold trusts
     */
    static Roundcube start(
            Path dir, URI twofold, String issuer, Path signingKey, String keyId, int imapPort, int smtpPort) {
        try {
            Roundcube roundcube = new Roundcube(dir, MailStack.freePort());
            roundcube.install(twofold, issuer, signingKey, keyId, imapPort, smtpPort);
            roundcube.launch();
            return roundcube;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    Path dir() {
        return dir;
    }

    private void install(URI twofold, String issuer, Path signingKey, String keyId, int imapPort, int smtpPort)
            throws IOException {
        Path root = Files.createDirectories(dir.resolve("root"));
        Path config = Files.createDirectories(dir.resolve("config"));
        Files.createDirectories(dir.resolve("logs"));
        Files.createDirectories(dir.resolve("temp"));
        for (String part : List.of("program", "skins", "SQL")) {
            Files.createSymbolicLink(root.resolve(part), PACKAGED.resolve(part));
        }
        Path plugins = Files.createDirectories(root.resolve("plugins"));
        try (var packaged = Files.list(PACKAGED.resolve("plugins"))) {
            for (Path plugin : packaged.toList()) {
                Files.createSymbolicLink(plugins.resolve(plugin.getFileName()), plugin);
            }
        }
        Files.createSymbolicLink(plugins.resolve("twofold"), PLUGIN);
        // Debian's index.php looks for the installation in /var/lib/roundcube unless told otherwise.
        Files.writeString(
                root.resolve("index.php"),
                "<?php\ndefine('INSTALL_PATH', __DIR__ . '/');\n" + "require '" + PACKAGED.resolve("index.php")
                        + "';\n",
                UTF_8);
        Files.createSymbolicLink(config.resolve("defaults.inc.php"), Path.of("/etc/roundcube/defaults.inc.php"));
        Files.createSymbolicLink(config.resolve("mimetypes.php"), Path.of("/etc/roundcube/mimetypes.php"));

        byte[] desKey = new byte[12];
        new SecureRandom().nextBytes(desKey);
        Path database = dir.resolve("roundcube.db");
        String settings = "<?php\n$config = [];\n"
                + set("db_dsnw", "sqlite:///" + database + "?mode=0600")
                + set("imap_host", "127.0.0.1:" + imapPort)
                + set("smtp_host", "127.0.0.1:" + smtpPort)
                + set("smtp_user", "%u")
                + set("smtp_pass", "%p")
                + set("des_key", HexFormat.of().formatHex(desKey))
                + "$config['plugins'] = ['twofold'];\n"
                + set("skin", "elastic")
                + set("log_dir", dir.resolve("logs") + "/")
                + set("temp_dir", dir.resolve("temp") + "/")
                + set("product_name", "Webmail")
                + "$config['enable_spellcheck'] = false;\n"
                // The plugin's settings, as an administrator writes them (deploy/MAIL-INTEGRATION.md).
                + set("twofold_url", twofold.toString())
                + set("twofold_jwt_issuer", issuer)
                + set("twofold_jwt_key_file", signingKey.toString())
                + set("twofold_jwt_key_id", keyId)
                + set("twofold_jwt_algorithm", "RS256")
                + "$config['twofold_timeout'] = 2;\n"
                + "$config['twofold_mail_servers'] = ['Incoming mail (IMAP)' => '127.0.0.1, port " + imapPort
                + "', 'Outgoing mail (SMTP)' => '127.0.0.1, port " + smtpPort + "'];\n";
        Files.writeString(config.resolve("config.inc.php"), settings, UTF_8);
        run(List.of(
                "php",
                "-r",
                "$db = new PDO('sqlite:' . $argv[1]); $db->exec(file_get_contents($argv[2]));",
                database.toString(),
                PACKAGED.resolve("SQL/sqlite.initial.sql").toString()));
    }

    private static String set(String name, String value) {
        return "$config['" + name + "'] = '" + value.replace("\\", "\\\\").replace("'", "\\'") + "';\n";
    }

    private void launch() throws IOException {
        // No opcode cache: it re-reads a changed file only every few seconds, and the test changes
        // config.inc.php (pointing the plugin at a dead Twofold) between two requests.
        ProcessBuilder builder = new ProcessBuilder(
                        "php",
                        "-d",
                        "opcache.enable=0",
                        "-S",
                        "127.0.0.1:" + port,
                        "-t",
                        dir.resolve("root").toString())
                .directory(dir.resolve("root").toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("php-server.log").toFile());
        builder.environment().put("ROUNDCUBE_CONFIG_DIR", dir.resolve("config").toString());
        // Several requests at once (the page and its Ajax calls) instead of one after the other.
        builder.environment().put("PHP_CLI_SERVER_WORKERS", "4");
        server = builder.start();
        LOG.infof("Started Roundcube on %s (pid %d), files in %s", url(), server.pid(), dir);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                if (!server.isAlive()) {
                    throw new IllegalStateException("php -S exited; see " + dir.resolve("php-server.log"));
                }
                sleep();
            }
        }
        throw new IllegalStateException("Roundcube is not listening; see " + dir);
    }

    /** Points the plugin at another Twofold (the configuration is read on every request). */
    void useTwofold(URI twofold) {
        Path config = dir.resolve("config/config.inc.php");
        try {
            Files.writeString(
                    config,
                    Files.readString(config, UTF_8)
                            .replaceAll(
                                    "(?m)^\\$config\\['twofold_url'\\] = .*$",
                                    java.util.regex.Matcher.quoteReplacement(set("twofold_url", twofold.toString())
                                            .strip())),
                    UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void stop() {
        if (server != null) {
            server.descendants().forEach(ProcessHandle::destroy);
            server.destroy();
            try {
                server.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static void run(List<String> command) {
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(command.get(0) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
