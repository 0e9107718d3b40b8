package dev.twofold.benchtool;

import dev.twofold.crypto.KeyRing;
import dev.twofold.crypto.LookupHasher;
import dev.twofold.crypto.SealedSecret;
import dev.twofold.crypto.SecretSealer;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;

/**
 * Writes the population as CSV files for {@code COPY} plus the request files the scenarios replay.
 *
 * <ul>
 * <li>{@code core<i>}: {@code --core} accounts with 2FA on and 1 to 25 app passcodes each; the first
 * passcode of the first {@code --warm} of them is presented by the warm, nginx and echo floor scenarios
 * (real Argon2id hash); the others are never presented and carry random index values and one shared
 * placeholder hash (a real PHC string of another secret).</li>
 * <li>{@code cold1-<slice>-<k>} (1 passcode) and {@code cold25-<slice>-<k>} (25 passcodes): each
 * passcode presented once, for first-use scenarios; all real hashes.</li>
 * <li>{@code totp-<slice>-<k>}: 2FA-on accounts whose codes the two-factor scenario sends.</li>
 * <li>{@code revoke<k>}: one real passcode each, revoked under load.</li>
 * </ul>
 * Every 2FA account also gets 10 recovery codes, added in SQL by run.sh.
 */
final class Seeder {

    private static final int MAX_PASSCODES = 25;
    private final Path dir;
    private final KeyRing ring;
    private final LookupHasher lookup;
    private final SecretSealer sealer;
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final Random shape = new Random(20240601L);
    private BufferedWriter totpFactors;
    private BufferedWriter passcodes;
    private int totpRows;
    private int passcodeRows;
    private String placeholderPhc;

    private Seeder(Path dir, KeyRing ring) {
        this.dir = dir;
        this.ring = ring;
        this.lookup = new LookupHasher(ring);
        this.sealer = new SecretSealer(ring);
    }

    static void run(Args args) throws Exception {
        Path dir = args.path("dir");
        Files.createDirectories(dir);
        KeyRing ring = new KeyRing(args.get("keys"), args.get("active-key", null));
        new Seeder(dir, ring).seed(args);
    }

    private void seed(Args args) throws Exception {
        Argon2Params params = Argon2Params.parse(args.get("params"));
        int core = args.integer("core", 10_000);
        int warm = Math.min(args.integer("warm", 1_000), core);
        List<String> coldSlices = List.of(args.get("cold-slices").split(","));
        int coldPerSlice = args.integer("cold-per-slice", 200);
        int cold25Accounts = (coldPerSlice + MAX_PASSCODES - 1) / MAX_PASSCODES;
        List<String> totpSlices = List.of(args.get("totp-slices").split(","));
        int totpPerSlice = args.integer("totp-per-slice", 10_000) & ~1; // even: see replay.lua
        int revocations = args.integer("revocations", 6);

        int realHashes = warm + coldSlices.size() * (coldPerSlice + cold25Accounts * MAX_PASSCODES) + revocations + 1;
        List<HashCache.Entry> hashes = HashCache.take(args.path("hash-cache"), params, realHashes,
                args.integer("threads", 2));
        placeholderPhc = hashes.get(hashes.size() - 1).phc();
        Files.writeString(dir.resolve("placeholder.phc"), placeholderPhc);
        Iterator<HashCache.Entry> real = hashes.subList(0, hashes.size() - 1).iterator();

        try (BufferedWriter factors = writer("totp_factor.csv"); BufferedWriter codes = writer("app_passcode.csv")) {
            totpFactors = factors;
            passcodes = codes;
            seedCore(core, warm, real);
            for (String slice : coldSlices) {
                seedCold(slice, coldPerSlice, cold25Accounts, real);
            }
            for (String slice : totpSlices) {
                seedTotpSlice(slice, totpPerSlice);
            }
            seedRevocations(revocations, real);
        }
        writeUpdateRequests(core);
        writeRejectRequests(core);
        Files.writeString(dir.resolve("manifest.json"), String.format(Locale.ROOT,
                "{\"core_accounts\":%d,\"warm_passcodes\":%d,\"cold_slices\":\"%s\",\"cold_per_slice\":%d,"
                        + "\"cold25_accounts_per_slice\":%d,\"totp_slices\":\"%s\",\"totp_accounts_per_slice\":%d,"
                        + "\"revocation_accounts\":%d,\"two_factor_accounts\":%d,\"app_passcodes\":%d,"
                        + "\"real_argon2_hashes\":%d,\"argon2\":\"%s\"}%n",
                core, warm, String.join(",", coldSlices), coldPerSlice, cold25Accounts, String.join(",", totpSlices),
                totpPerSlice, revocations, totpRows, passcodeRows, realHashes - 1, params.label()));
        System.err.printf("Seed files: %d two-factor accounts, %d app passcodes (%d with real Argon2id hashes)%n",
                totpRows, passcodeRows, realHashes - 1);
    }

    private void seedCore(int core, int warm, Iterator<HashCache.Entry> real) throws IOException {
        try (BufferedWriter warmReq = writer("warm.req"); BufferedWriter echoReq = writer("echo.req");
                BufferedWriter nginxReq = writer("nginx.req"); BufferedWriter warmPool = writer("warm.pool")) {
            for (int i = 0; i < core; i++) {
                String account = Population.account("core", i);
                twoFactor(account);
                int count = 1 + shape.nextInt(MAX_PASSCODES);
                for (int k = 0; k < count; k++) {
                    if (k == 0 && i < warm) {
                        HashCache.Entry entry = real.next();
                        passcode(account, k, entry.passcode(), entry.phc());
                        String body = verifyBody(account, entry.passcode(), i);
                        warmReq.write("POST\t/v1/mail-auth/verify\t\t" + body + "\n");
                        warmPool.write(account + "\t" + entry.passcode() + "\t" + Population.clientIp(i) + "\n");
                        echoReq.write("POST\t/echo\t\t" + body + "\n");
                        nginxReq.write("GET\t/v1/mail-auth/nginx\tAuth-Method: plain|Auth-User: " + account
                                + "|Auth-Pass: " + entry.passcode() + "|Auth-Protocol: imap|Auth-Login-Attempt: 1"
                                + "|Client-IP: " + Population.clientIp(i) + "\t\n");
                    } else {
                        filler(account, k);
                    }
                }
            }
        }
    }

    private void seedCold(String slice, int perSlice, int cold25Accounts, Iterator<HashCache.Entry> real)
            throws IOException {
        try (BufferedWriter one = writer("cold1-" + slice + ".pool");
                BufferedWriter many = writer("cold25-" + slice + ".pool")) {
            for (int k = 0; k < perSlice; k++) {
                String account = Population.account("cold1-" + slice + "-", k);
                twoFactor(account);
                HashCache.Entry entry = real.next();
                passcode(account, 0, entry.passcode(), entry.phc());
                one.write(account + "\t" + entry.passcode() + "\n");
            }
            // Interleaved: consecutive requests go to different accounts, each passcode used once.
            String[][] secrets = new String[cold25Accounts][MAX_PASSCODES];
            for (int a = 0; a < cold25Accounts; a++) {
                String account = Population.account("cold25-" + slice + "-", a);
                twoFactor(account);
                for (int k = 0; k < MAX_PASSCODES; k++) {
                    HashCache.Entry entry = real.next();
                    passcode(account, k, entry.passcode(), entry.phc());
                    secrets[a][k] = entry.passcode();
                }
            }
            for (int k = 0; k < MAX_PASSCODES; k++) {
                for (int a = 0; a < cold25Accounts; a++) {
                    many.write(Population.account("cold25-" + slice + "-", a) + "\t" + secrets[a][k] + "\n");
                }
            }
        }
    }

    private void seedTotpSlice(String slice, int count) throws IOException {
        try (BufferedWriter seeds = writer("totp-" + slice + ".seeds")) {
            for (int k = 0; k < count; k++) {
                String account = Population.account("totp-" + slice + "-", k);
                byte[] seed = twoFactor(account);
                // Hex, not the API's base32: only this tool reads the seeds files back.
                seeds.write(account + "\t" + HexFormat.of().formatHex(seed) + "\n");
            }
        }
    }

    private void seedRevocations(int count, Iterator<HashCache.Entry> real) throws IOException {
        try (BufferedWriter out = writer("revocation.tsv")) {
            for (int k = 0; k < count; k++) {
                String account = Population.account("revoke", k);
                twoFactor(account);
                HashCache.Entry entry = real.next();
                UUID id = passcode(account, 0, entry.passcode(), entry.phc());
                out.write(account + "\t" + id + "\t" + entry.passcode() + "\n");
            }
        }
    }

    /** The floor app's UPDATE runs on a copy of the core accounts' totp_factor rows (its bench_floor). */
    private void writeUpdateRequests(int core) throws IOException {
        try (BufferedWriter out = writer("update.req")) {
            for (int i = 0; i < core; i++) {
                out.write("POST\t/update\t\t{\"accountId\":\"" + Population.account("core", i) + "\"}\n");
            }
        }
    }

    /** Wrong secrets in the passcode format for 2FA accounts: reject without any Argon2. */
    private void writeRejectRequests(int core) throws IOException {
        try (BufferedWriter out = writer("reject.req")) {
            for (int i = 0; i < core; i++) {
                out.write("POST\t/v1/mail-auth/verify\t\t"
                        + verifyBody(Population.account("core", i), Population.randomPasscode(), i) + "\n");
            }
        }
    }

    private byte[] twoFactor(String account) throws IOException {
        byte[] seed = Population.randomBytes(20);
        SealedSecret sealed = sealer.seal(seed, account);
        // account_id, seed_ciphertext, seed_key_id, algorithm, digits, period_seconds, enabled_at,
        // last_step, failed_attempts, lockouts
        totpFactors.write(account + "," + Population.hex(sealed.ciphertext()) + "," + sealed.keyId()
                + ",SHA1,6,30," + now + ",0,0,0\n");
        totpRows++;
        return seed;
    }

    private UUID passcode(String account, int k, String passcode, String phc) throws IOException {
        UUID id = UUID.randomUUID();
        byte[] index = lookup.forStorage(LookupHasher.Purpose.APP_PASSCODE, passcode);
        writePasscode(id, account, k, index, phc);
        return id;
    }

    private void filler(String account, int k) throws IOException {
        writePasscode(UUID.randomUUID(), account, k, Population.randomBytes(32), placeholderPhc);
    }

    private void writePasscode(UUID id, String account, int k, byte[] index, String phc) throws IOException {
        // id, account_id, name, lookup_hash, passcode_hash, created_at (protocols, allowed_ips: null = any)
        passcodes.write(id + "," + account + ",device-" + k + "," + Population.hex(index) + ",\"" + phc + "\","
                + now.minus(k + 1L, ChronoUnit.DAYS) + "\n");
        passcodeRows++;
    }

    private static String verifyBody(String account, String secret, int i) {
        return "{\"accountId\":\"" + account + "\",\"secret\":\"" + secret + "\",\"protocol\":\"imap\",\"clientIp\":\""
                + Population.clientIp(i) + "\"}";
    }

    private BufferedWriter writer(String name) throws IOException {
        return Files.newBufferedWriter(dir.resolve(name), StandardCharsets.UTF_8);
    }

    static List<String[]> readTsv(Path file) throws IOException {
        List<String[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isEmpty()) {
                rows.add(line.split("\t"));
            }
        }
        return rows;
    }
}
