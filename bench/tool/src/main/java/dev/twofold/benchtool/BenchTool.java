package dev.twofold.benchtool;

import java.util.Arrays;

/**
 * The JVM half of {@code bench/run.sh}: seeding files, tokens, one-time codes, Keycloak's realm, the raw Argon2 floor,
 * the Argon2-bound and revocation load, and the final report. Runs in its own process, never in the
 * service; it links the service's own classes (key ring, lookup hasher, sealer, TOTP) so what it
 * writes is exactly what the service would.
 */
public final class BenchTool {

    private BenchTool() {
    }

    public static void main(String[] argv) throws Exception {
        if (argv.length == 0) {
            usage();
            System.exit(2);
        }
        Args args = Args.parse(Arrays.copyOfRange(argv, 1, argv.length));
        switch (argv[0]) {
            case "token" -> System.out.println(Jwts.fromArgs(args));
            case "seed" -> Seeder.run(args);
            case "totp-requests" -> TotpRequests.run(args);
            case "keycloak-realm" -> KeycloakRealm.run(args);
            case "argon2-floor" -> Argon2Floor.run(args);
            case "cold" -> ColdLoad.run(args);
            case "revocation" -> RevocationCheck.run(args);
            case "db-restart" -> DbRestart.run(args);
            case "report" -> System.exit(Report.run(args));
            default -> {
                usage();
                System.exit(2);
            }
        }
    }

    private static void usage() {
        System.err.println("usage: BenchTool token|seed|totp-requests|keycloak-realm|argon2-floor|cold|revocation|db-restart|report --option value ...");
    }
}
