package dev.twofold.benchtool;

import dev.twofold.totp.HashAlgorithm;
import dev.twofold.totp.Totp;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * TOTP sign-in requests valid right now: every account of a slice once with the code of the current
 * step s, then once more with the code of s+1 (accepted as the next step within the ±1 window, so each
 * account signs in twice and no code is ever replayed). Both stay valid for at least 30 s from now,
 * longer than one measured run. Twofold's two-factor verify by default; {@code --for keycloak}: the
 * same codes as Keycloak direct grants (password + totp) for {@link KeycloakRealm}'s users.
 */
final class TotpRequests {

    private static final Duration PERIOD = Duration.ofSeconds(30);

    private TotpRequests() {
    }

    static void run(Args args) throws Exception {
        List<String[]> seeds = Seeder.readTsv(args.path("seeds"));
        boolean keycloak = args.get("for", "twofold").equals("keycloak");
        Instant now = Instant.now();
        long step = Totp.timeStep(now, PERIOD);
        List<byte[]> keys = new ArrayList<>(seeds.size());
        for (String[] row : seeds) {
            keys.add(HexFormat.of().parseHex(row[1]));
        }
        try (BufferedWriter out = Files.newBufferedWriter(args.path("out"), StandardCharsets.UTF_8)) {
            for (long s = step; s <= step + 1; s++) {
                for (int i = 0; i < seeds.size(); i++) {
                    String code = Totp.hotp(keys.get(i), s, 6, HashAlgorithm.SHA1);
                    out.write(keycloak ? keycloakGrant(seeds.get(i), code) : twofoldVerify(seeds.get(i), code));
                }
            }
        }
        System.out.println(step);
    }

    private static String twofoldVerify(String[] seed, String code) {
        return "POST\t/v1/accounts/" + seed[0] + "/two-factor/verify\t\t{\"code\":\"" + code + "\"}\n";
    }

    /** Usernames, passwords (alphanumeric) and codes need no form encoding. */
    private static String keycloakGrant(String[] seed, String code) {
        return "POST\t/realms/" + KeycloakRealm.REALM + "/protocol/openid-connect/token\t"
                + "Content-Type: application/x-www-form-urlencoded\tgrant_type=password&client_id="
                + KeycloakRealm.CLIENT + "&username=" + seed[0] + "&password=" + seed[2] + "&totp=" + code + "\n";
    }
}
