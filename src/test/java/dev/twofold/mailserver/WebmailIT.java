package dev.twofold.mailserver;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.twofold.testing.Accounts;
import dev.twofold.testing.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The webmail end to end: Debian's Roundcube with deploy/roundcube/twofold in front of the packaged
 * Twofold, Dovecot (Lua passdb) and Postfix, walked in headless Chromium through Debian's
 * chromedriver. Roundcube (127.0.0.1) is the webmail network; the mail app (curl) connects from
 * 127.0.0.2. Every page is saved under target/webmail-screens/, so a failed step leaves the pages up
 * to it behind.
 */
@QuarkusIntegrationTest
@WithTestResource(WebmailStackResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebmailIT {

    private static final Logger LOG = Logger.getLogger(WebmailIT.class);
    private static final Path SCREENS = Path.of("target", "webmail-screens");
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String MAIL_APP_ADDRESS = "127.0.0.2";
    private static final String PASSWORD = MailStack.PRIMARY_PASSWORD;

    private final String account = Accounts.fresh();
    private URI twofold;
    private MailStack mail;
    private Roundcube roundcube;
    private WebDriver browser;
    private WebDriverWait wait;
    private int screen;
    /** The TOTP time step of the last code used: Twofold accepts each step's code once. */
    private long lastStep;
    /** Set up by the first walk, used by the second. */
    private String seed;

    private boolean firstWalkDone;

    private List<String> recoveryCodes;

    /** Once, before the first test: RestAssured knows the packaged application's port only from here on. */
    @BeforeEach
    void startEverythingOnce() throws IOException {
        if (browser != null) {
            return;
        }
        boolean installed = MailStack.packagesInstalled() && webmailPackagesInstalled();
        if (!installed) {
            LOG.error("\n\n############################################################################\n"
                    + "#  WEBMAIL END-TO-END TEST SKIPPED: Roundcube, PHP, chromium or the mail\n"
                    + "#  packages are missing and deploy/e2e could not install them (see\n"
                    + "#  target/install-*-packages.log). Nothing about the webmail was tested.\n"
                    + "############################################################################\n");
        }
        assumeTrue(installed, "webmail packages missing and not installable: see the log above");
        mail = MailStack.current();
        twofold = URI.create("http://127.0.0.1:" + RestAssured.port);
        mail.start(twofold, mailServerToken());
        roundcube = Roundcube.start(
                mail.dir().resolve("webmail/roundcube"),
                twofold,
                Tokens.ISSUER,
                WebmailStackResource.roundcubeKey(),
                WebmailStackResource.ROUNDCUBE_KEY_ID,
                mail.port("IMAP_PORT"),
                mail.port("SMTP_PORT"));
        deleteScreens();
        ChromeOptions options = new ChromeOptions()
                .setBinary("/usr/bin/chromium")
                .addArguments(
                        "--headless=new",
                        "--no-sandbox",
                        "--disable-dev-shm-usage",
                        "--window-size=1280,900",
                        "--disable-gpu",
                        "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .withLogFile(mail.dir().resolve("webmail/chromedriver.log").toFile())
                .build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, WAIT);
    }

    @AfterAll
    void stopEverything() {
        if (browser != null) {
            browser.quit();
        }
        if (roundcube != null) {
            roundcube.stop();
        }
        if (mail != null) {
            mail.stop();
        }
    }

    @Test
    @Order(1)
    void signInTwoFactorPasscodesAndTrustedComputer() {
        // A message waits in the inbox (appended over IMAP while the password still opens it from anywhere).
        appendToInbox("Welcome to your mailbox");

        signInWithPassword();
        // The list arrives by Ajax after the page.
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("messagelist"), "Welcome to your mailbox"));
        shot("inbox-before-2fa");

        // Settings > Two-factor authentication: Begin setup -> password -> scan -> code -> Success.
        open("?_task=settings&_action=plugin.twofold");
        waitFor(By.cssSelector("button.twofold-begin"));
        shot("2fa-off");
        browser.findElement(By.cssSelector("button.twofold-begin")).click();
        waitFor(By.id("twofold-password")).sendKeys(PASSWORD);
        shot("2fa-password");
        browser.findElement(By.id("twofold-password-next")).click();
        String manualKey = waitFor(By.id("twofold-manual-key")).getText();
        shot("2fa-scan");
        seed = manualKey.replace(" ", "");
        waitFor(By.id("twofold-code")).sendKeys(freshCode(seed));
        browser.findElement(By.id("twofold-confirm")).click();
        recoveryCodes = shownRecoveryCodes();
        shot("2fa-success");
        assertEquals(10, recoveryCodes.size(), "recovery codes shown once");
        browser.findElement(By.id("twofold-done")).click();
        waitFor(By.id("twofold-recovery-status"));
        shot("2fa-on");

        // The webmail keeps working over IMAP with the password: it is the webmail network.
        signOut();
        signInWithPassword();
        waitFor(By.id("twofold-code"));
        assertTrue(browser.getCurrentUrl().contains("plugin.twofold-code"), "held on the code page");
        // Nothing else of the session is reachable before the code.
        open("?_task=mail&_action=show&_uid=1&_mbox=INBOX");
        waitFor(By.id("twofold-code"));
        waitFor(By.id("twofold-code")).sendKeys("000000");
        browser.findElement(By.id("twofold-verify")).click();
        assertTrue(waitFor(By.id("twofold-message")).getText().contains("not right"), "wrong code refused");
        shot("signin-wrong-code");
        waitFor(By.id("twofold-code")).sendKeys(freshCode(seed));
        shot("signin-code");
        browser.findElement(By.id("twofold-verify")).click();
        waitFor(By.id("messagelist"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("messagelist"), "Welcome to your mailbox"));
        shot("inbox-after-code");

        // Send a mail: Roundcube submits through Postfix, whose SMTP AUTH asks Twofold via Dovecot.
        sendMail("friend@example.net", "Hello from the webmail");
        assertTrue(sentThroughPostfix("friend@example.net"), "Postfix accepted the message from Roundcube");

        // Settings > Application passcodes: add one, shown once with the server settings.
        open("?_task=settings&_action=plugin.twofold-passcodes");
        waitFor(By.id("twofold-passcode-name")).sendKeys("Thunderbird on my laptop");
        browser.findElement(By.id("twofold-protocol-imap")).click();
        shot("passcodes-empty");
        browser.findElement(By.id("twofold-passcode-create")).click();
        String passcode = waitFor(By.id("twofold-new-passcode")).getText();
        shot("passcode-created");
        assertTrue(passcode.matches("[a-z]{4}( [a-z]{4}){3}"), "shown in groups of four: " + passcode);

        // The mail app, from outside the webmail network: the passcode opens IMAP, the password does not.
        MailClient.Login withPasscode =
                MailClient.imapFrom(MAIL_APP_ADDRESS, mail.port("IMAP_PORT"), account, passcode);
        assertTrue(withPasscode.accepted(), "passcode from 127.0.0.2: " + withPasscode.reply());
        MailClient.Login withPassword =
                MailClient.imapFrom(MAIL_APP_ADDRESS, mail.port("IMAP_PORT"), account, PASSWORD);
        assertFalse(withPassword.accepted(), "password from 127.0.0.2: " + withPassword.reply());

        // The list shows its last use (from 127.0.0.2 over IMAP); revoke it there.
        browser.findElement(By.id("twofold-done")).click();
        WebElement row = waitFor(By.cssSelector("#twofold-passcodes tbody tr"));
        assertTrue(row.getText().contains(MAIL_APP_ADDRESS), "last use listed: " + row.getText());
        shot("passcodes-list");
        row.findElement(By.cssSelector("button.twofold-revoke")).click();
        browser.switchTo().alert().accept();
        waitFor(By.id("twofold-passcodes-none"));
        shot("passcode-revoked");
        MailClient.Login revoked = MailClient.imapFrom(MAIL_APP_ADDRESS, mail.port("IMAP_PORT"), account, passcode);
        assertFalse(revoked.accepted(), "revoked passcode: " + revoked.reply());

        // "Don't ask again on this computer": the next sign-in skips the code.
        signOut();
        signInWithPassword();
        waitFor(By.id("twofold-code")).sendKeys(freshCode(seed));
        browser.findElement(By.id("twofold-trust")).click();
        browser.findElement(By.id("twofold-verify")).click();
        waitFor(By.id("messagelist"));
        Cookie device = browser.manage().getCookieNamed("twofold_device");
        assertTrue(device != null && device.isHttpOnly() && device.isSecure(), "device cookie: " + device);
        signOut();
        signInWithPassword();
        waitFor(By.id("messagelist"));
        assertFalse(browser.getCurrentUrl().contains("plugin.twofold-code"), "no code asked on a trusted computer");
        shot("inbox-trusted-computer");

        open("?_task=settings&_action=plugin.twofold");
        waitFor(By.id("twofold-devices"));
        shot("2fa-devices-and-events");

        // Twofold unreachable: a clear message and no way in, not even on the trusted computer.
        signOut();
        roundcube.useTwofold(URI.create("http://127.0.0.1:" + mail.port("CLOSED_PORT")));
        try {
            signInWithPassword();
            assertTrue(waitFor(By.id("twofold-message")).getText().contains("cannot be checked"), "outage explained");
            shot("signin-twofold-unavailable");
            open("?_task=mail");
            waitFor(By.id("twofold-code"));
            assertTrue(browser.findElements(By.id("messagelist")).isEmpty(), "no mail while Twofold is unreachable");
        } finally {
            roundcube.useTwofold(twofold);
        }
        firstWalkDone = true;
    }

    /**
     * Continues the first walk's account (2FA on, this computer trusted, Twofold reachable again):
     * a slow Twofold, forgetting the computer, the lockout, a recovery code, new recovery codes,
     * revoking all passcodes and turning 2FA off. The IT's Twofold locks after 3 wrong codes for 5 s.
     */
    @Test
    @Order(2)
    void slowTwofoldLockoutRecoveryCodesDevicesAndTurningOff() throws IOException {
        assumeTrue(firstWalkDone, "continues the first walk, which failed");
        signOut();
        // Twofold accepts the connection but never answers: the plugin's timeout, then the same refusal.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            roundcube.useTwofold(URI.create("http://127.0.0.1:" + silent.getLocalPort()));
            try {
                signInWithPassword();
                assertTrue(
                        waitFor(By.id("twofold-message")).getText().contains("cannot be checked"),
                        "slowness explained");
                assertTrue(browser.findElements(By.id("messagelist")).isEmpty(), "no mail while Twofold is slow");
                shot("signin-twofold-slow");
            } finally {
                roundcube.useTwofold(twofold);
            }
        }
        signOut();

        // Trusted devices: forget this computer, and the next sign-in asks for the code again.
        signInWithPassword();
        waitFor(By.id("messagelist"));
        open("?_task=settings&_action=plugin.twofold");
        WebElement device = waitFor(By.cssSelector("#twofold-devices tbody tr"));
        assertTrue(device.getText().contains("Chrome"), "this browser listed: " + device.getText());
        device.findElement(By.cssSelector("button.twofold-forget-device")).click();
        waitFor(By.id("twofold-devices-none"));
        assertTrue(waitFor(By.id("twofold-message")).getText().contains("ask for a code again"), "forgotten");
        shot("2fa-device-forgotten");
        signOut();
        signInWithPassword();
        assertTrue(waitFor(By.id("twofold-code")).isDisplayed(), "a forgotten computer is asked for the code");

        // Wrong codes until the lockout, which names its wait (Retry-After); after it, a recovery code.
        String message = "";
        for (int attempt = 0; attempt < 4 && !message.contains("Too many"); attempt++) {
            message = submitCode("000000");
        }
        Matcher lockout = Pattern.compile("Try again in (\\d+) seconds").matcher(message);
        assertTrue(lockout.find(), "lockout with its wait: " + message);
        shot("signin-locked-out");
        sleep(TimeUnit.SECONDS.toMillis(Long.parseLong(lockout.group(1))) + 500);
        assertTrue(submitCode(recoveryCodes.get(0)).contains("You have 9 recovery codes left"), "codes left shown");
        shot("signin-recovery-code");
        browser.findElement(By.id("twofold-continue")).click();
        waitFor(By.id("messagelist"));

        // New recovery codes: ten, none of the old ones.
        open("?_task=settings&_action=plugin.twofold");
        assertTrue(waitFor(By.id("twofold-recovery-status")).getText().startsWith("9 of 10"), "9 of 10 left");
        browser.findElement(By.cssSelector("button.twofold-regenerate")).click();
        List<String> renewed = shownRecoveryCodes();
        shot("2fa-recovery-codes-regenerated");
        assertEquals(10, renewed.size(), "ten new codes");
        assertTrue(renewed.stream().noneMatch(recoveryCodes::contains), "the old codes are replaced");
        browser.findElement(By.id("twofold-done")).click();
        assertTrue(waitFor(By.id("twofold-recovery-status")).getText().startsWith("10 of 10"), "10 left");

        // Application passcodes: two, then "Revoke all", and neither opens IMAP any more.
        String phone = createPasscode("Phone");
        String tablet = createPasscode("Tablet");
        assertEquals(
                2,
                browser.findElements(By.cssSelector("#twofold-passcodes tbody tr"))
                        .size());
        shot("passcodes-two");
        browser.findElement(By.cssSelector("button.twofold-revoke-all")).click();
        browser.switchTo().alert().accept();
        waitFor(By.id("twofold-passcodes-none"));
        shot("passcodes-all-revoked");
        for (String revoked : List.of(phone, tablet)) {
            MailClient.Login login = MailClient.imapFrom(MAIL_APP_ADDRESS, mail.port("IMAP_PORT"), account, revoked);
            assertFalse(login.accepted(), "revoked by revoke all: " + login.reply());
        }

        // Turn 2FA off: the password works from anywhere again and sign-in asks no code.
        open("?_task=settings&_action=plugin.twofold");
        waitFor(By.cssSelector("button.twofold-disable")).click();
        browser.switchTo().alert().accept();
        waitFor(By.cssSelector("button.twofold-begin"));
        assertTrue(waitFor(By.id("twofold-message")).getText().contains("is off"), "turned off");
        shot("2fa-turned-off");
        MailClient.Login withPassword =
                MailClient.imapFrom(MAIL_APP_ADDRESS, mail.port("IMAP_PORT"), account, PASSWORD);
        assertTrue(withPassword.accepted(), "password from 127.0.0.2 with 2FA off: " + withPassword.reply());
        signOut();
        signInWithPassword();
        waitFor(By.id("messagelist"));
        shot("inbox-2fa-off");
    }

    /** Submits a code on the code page and returns the message of the page that answers. */
    private String submitCode(String code) {
        WebElement form = waitFor(By.id("twofold-code-form"));
        browser.findElement(By.id("twofold-code")).sendKeys(code);
        browser.findElement(By.id("twofold-verify")).click();
        wait.until(ExpectedConditions.stalenessOf(form));
        return waitFor(By.id("twofold-message")).getText();
    }

    /** Adds a passcode on the passcodes page and returns to the list; returns the passcode shown once. */
    private String createPasscode(String name) {
        open("?_task=settings&_action=plugin.twofold-passcodes");
        waitFor(By.id("twofold-passcode-name")).sendKeys(name);
        browser.findElement(By.id("twofold-passcode-create")).click();
        String passcode = waitFor(By.id("twofold-new-passcode")).getText();
        browser.findElement(By.id("twofold-done")).click();
        waitFor(By.id("twofold-passcodes"));
        return passcode;
    }

    private List<String> shownRecoveryCodes() {
        return waitFor(By.id("twofold-recovery-codes")).findElements(By.tagName("li")).stream()
                .map(WebElement::getText)
                .toList();
    }

    /**
     * The mail servers' token, from the IdP: with more than one key in the JWKS, SmallRye JWT picks
     * the key by the token's {@code kid}, so the IdP's tokens carry theirs.
     */
    private static String mailServerToken() {
        try {
            return Jwt.issuer(Tokens.ISSUER)
                    .subject("imap-01.mail.test")
                    .groups(Set.of(Tokens.MAIL_SERVER_GROUP))
                    .issuedAt(Instant.now())
                    .expiresIn(Duration.ofHours(1))
                    .jws()
                    .keyId(WebmailStackResource.IDP_KEY_ID)
                    .sign(KeyUtils.readPrivateKey("keys/idp-private.pem"));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private void signInWithPassword() {
        open("?_task=login");
        waitFor(By.id("rcmloginuser")).clear();
        browser.findElement(By.id("rcmloginuser")).sendKeys(account);
        browser.findElement(By.id("rcmloginpwd")).sendKeys(PASSWORD);
        if (screen == 0) {
            shot("login");
        }
        browser.findElement(By.id("rcmloginsubmit")).click();
        wait.until(driver -> !driver.findElements(By.id("messagelist")).isEmpty()
                || !driver.findElements(By.id("twofold-code")).isEmpty());
    }

    /** Signs out from any page, the code page of a held session included. */
    private void signOut() {
        List<WebElement> held = browser.findElements(By.id("twofold-signout"));
        if (held.isEmpty()) {
            ((JavascriptExecutor) browser).executeScript("rcmail.command('logout')");
        } else {
            held.get(0).click();
        }
        waitFor(By.id("rcmloginuser"));
    }

    private void sendMail(String to, String subject) {
        open("?_task=mail&_action=compose");
        waitFor(By.id("compose-subject")).sendKeys(subject);
        ((JavascriptExecutor) browser)
                .executeScript(
                        "document.querySelector('textarea[name=_to]').value = arguments[0];"
                                + "document.getElementById('composebody').value = 'Sent through Postfix.';",
                        to);
        shot("compose");
        ((JavascriptExecutor) browser).executeScript("rcmail.command('send', {})");
        waitFor(By.id("messagelist"));
    }

    private boolean sentThroughPostfix(String recipient) {
        Path log = roundcube.dir().resolve("logs/sendmail.log");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (Files.exists(log) && Files.readString(log, UTF_8).contains(recipient)) {
                    return true;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            sleep(200);
        }
        return false;
    }

    /** A code from oathtool, the independent authenticator, for a time step no earlier code used. */
    private String freshCode(String base32Seed) {
        long step = Instant.now().getEpochSecond() / 30;
        while (step <= lastStep) {
            sleep(1000);
            step = Instant.now().getEpochSecond() / 30;
        }
        lastStep = step;
        return run(List.of(
                        "oathtool",
                        "--totp",
                        "--base32",
                        base32Seed,
                        "--now",
                        Instant.ofEpochSecond(step * 30 + 1)
                                .toString()
                                .replace("T", " ")
                                .replace("Z", " UTC")))
                .strip();
    }

    private void appendToInbox(String subject) {
        try {
            Path message = Files.writeString(
                    Files.createTempFile("webmail-it", ".eml"),
                    "From: <team@example.com>\r\n"
                            + "To: <" + account + ">\r\nSubject: " + subject
                            + "\r\nDate: Wed, 2 Dec 2026 09:00:00 +0000\r\n"
                            + "Message-ID: <welcome-" + System.nanoTime() + "@example.com>\r\n\r\nHello!\r\n",
                    UTF_8);
            run(List.of(
                    "curl",
                    "--silent",
                    "--show-error",
                    "--max-time",
                    "10",
                    "--user",
                    account + ":" + PASSWORD,
                    "--upload-file",
                    message.toString(),
                    "imap://127.0.0.1:" + mail.port("IMAP_PORT") + "/INBOX"));
            Files.delete(message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void open(String query) {
        browser.get(roundcube.url().resolve(query).toString());
    }

    private WebElement waitFor(By locator) {
        try {
            return wait.until(ExpectedConditions.visibilityOfElementLocated(locator));
        } catch (RuntimeException e) {
            shot("failed-waiting-for-" + locator.toString().replaceAll("[^A-Za-z0-9-]+", "-"));
            throw e;
        }
    }

    private void shot(String name) {
        try {
            Files.createDirectories(SCREENS);
            Path png =
                    ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(
                    png,
                    SCREENS.resolve(String.format(Locale.ROOT, "%02d-%s.png", ++screen, name)),
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteScreens() throws IOException {
        if (Files.isDirectory(SCREENS)) {
            try (var files = Files.list(SCREENS)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    private static boolean webmailPackagesInstalled() {
        if (Roundcube.BINARIES.stream().allMatch(binary -> Files.exists(Path.of(binary)))) {
            return true;
        }
        LOG.warn("Webmail packages missing: running deploy/e2e/install-webmail-packages.sh");
        try {
            Process install = new ProcessBuilder("bash", "deploy/e2e/install-webmail-packages.sh")
                    .redirectErrorStream(true)
                    .redirectOutput(
                            Path.of("target", "install-webmail-packages.log").toFile())
                    .start();
            if (!install.waitFor(15, TimeUnit.MINUTES)) {
                install.destroyForcibly();
            }
        } catch (IOException e) {
            LOG.error("Cannot run the webmail package installer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Roundcube.BINARIES.stream().allMatch(binary -> Files.exists(Path.of(binary)));
    }

    private static String run(List<String> command) {
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command.subList(0, 2)) + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
