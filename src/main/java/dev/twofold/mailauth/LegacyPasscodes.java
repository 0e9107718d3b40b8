package dev.twofold.mailauth;

import dev.twofold.account.AccountId;
import dev.twofold.crypto.Argon2Hasher;
import dev.twofold.crypto.LegacyPasscodeHash;
import dev.twofold.crypto.LookupHasher;
import dev.twofold.passcode.PasscodeLoginStore;
import dev.twofold.passcode.PasscodeLoginStore.LegacyPasscode;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * App passcodes imported as an earlier system's hash (Dovecot schemes), tried when a login's secret
 * matches no passcode by lookup hash. Cost bound: at most {@value #MAX_CHECKED} such rows of the
 * account are checked per login (oldest first), each on the Argon2 pool and within its bound, and
 * only after the login throttle let the attempt through; accounts without legacy rows pay one
 * indexed query that finds nothing. The first success converts the row to Argon2id with a lookup
 * hash, after which it is found the usual way and costs nothing here.
 */
@ApplicationScoped
class LegacyPasscodes {

    /** Legacy rows checked per login; an account with more has its newer ones checked once older ones are used. */
    static final int MAX_CHECKED = 3;

    private static final Logger LOG = Logger.getLogger(LegacyPasscodes.class);

    private final PasscodeLoginStore store;
    private final Argon2Hasher argon2;
    private final LookupHasher lookupHasher;

    LegacyPasscodes(PasscodeLoginStore store, Argon2Hasher argon2, LookupHasher lookupHasher) {
        this.store = store;
        this.argon2 = argon2;
        this.lookupHasher = lookupHasher;
    }

    /**
     * Checks {@code typed} (as typed) against the account's legacy passcodes and converts the one it
     * matches, stored under {@code normalised} like an issued passcode; whether one was converted.
     */
    Uni<Boolean> convertMatching(AccountId account, String typed, String normalised) {
        return store.findLegacy(account, MAX_CHECKED).flatMap(rows -> check(rows, 0, typed, normalised));
    }

    private Uni<Boolean> check(List<LegacyPasscode> rows, int index, String typed, String normalised) {
        if (index == rows.size()) {
            return Uni.createFrom().item(false);
        }
        LegacyPasscode row = rows.get(index);
        LegacyPasscodeHash hash = new LegacyPasscodeHash(LegacyPasscodeHash.Scheme.of(row.scheme()), row.hash());
        return argon2.verifyLegacy(hash, typed).flatMap(matches -> {
            if (!matches) {
                return check(rows, index + 1, typed, normalised);
            }
            LOG.infof("App passcode %s: first use of its %s hash, converted to Argon2id", row.id(), row.scheme());
            return argon2.hash(normalised)
                    .flatMap(converted -> store.convertLegacy(
                            row.id(),
                            converted,
                            lookupHasher.forStorage(LookupHasher.Purpose.APP_PASSCODE, normalised),
                            lookupHasher.activeKeyId()));
        });
    }
}
