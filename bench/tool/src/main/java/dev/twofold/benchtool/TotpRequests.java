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
 * Two-factor verify requests valid right now: every account of a slice once with the code of the
 * current step s, then once more with the code of s+1 (accepted as the next step within the ±1
 * window, so each account signs in twice and no code is ever replayed). Both stay valid for at least
 * 30 s from now, longer than one measured run.
 */
final class TotpRequests {

    private static final Duration PERIOD = Duration.ofSeconds(30);

    private TotpRequests() {
    }

    static void run(Args args) throws Exception {
        List<String[]> seeds = Seeder.readTsv(args.path("seeds"));
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
                    out.write("POST\t/v1/accounts/" + seeds.get(i)[0] + "/two-factor/verify\t\t{\"code\":\"" + code + "\"}\n");
                }
            }
        }
        System.out.println(step);
    }
}
