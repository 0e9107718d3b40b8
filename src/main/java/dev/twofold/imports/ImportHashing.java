package dev.twofold.imports;

import dev.twofold.audit.EventOrigin;
import dev.twofold.crypto.Argon2Hasher;
import dev.twofold.crypto.LookupHasher;
import dev.twofold.crypto.SealedSecret;
import dev.twofold.crypto.SecretSealer;
import dev.twofold.passcode.ImportedPasscodeStore;
import dev.twofold.problem.ProblemException;
import dev.twofold.problem.ProblemType;
import dev.twofold.recovery.ImportedCodeStore;
import dev.twofold.totp.ImportedFactorStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Turns planned import lines into rows: seeds sealed to their account, recovery codes and plain
 * passcodes hashed with Argon2id (through the shared pool, a few at a time, waiting while it is
 * full) with their lookup hashes, legacy passcode hashes kept as they are. Blocks; no transaction.
 */
@ApplicationScoped
class ImportHashing {

    /** Secrets hashed per Argon2 task, within what {@code RecoveryCodeService} already requires of the pool. */
    private static final int HASHES_PER_TASK = 10;
    /** How long an import waits for room in a full Argon2 pool before the batch fails (logins go first). */
    private static final int OVERLOADED_RETRIES = 40;

    private static final Duration OVERLOADED_PAUSE = Duration.ofMillis(250);

    private final Argon2Hasher argon2;
    private final LookupHasher lookup;
    private final SecretSealer sealer;
    private final Clock clock;

    ImportHashing(Argon2Hasher argon2, LookupHasher lookup, SecretSealer sealer, Clock clock) {
        this.argon2 = argon2;
        this.lookup = lookup;
        this.sealer = sealer;
        this.clock = clock;
    }

    ImportStore.Batch rows(List<ImportLine> planned, String admin, EventOrigin origin) {
        List<ImportedFactorStore.Factor> factors = new ArrayList<>();
        List<ImportedCodeStore.Code> codes = new ArrayList<>();
        List<ImportedPasscodeStore.Passcode> passcodes = new ArrayList<>();
        Set<String> withTotp = new HashSet<>();
        Instant now = clock.instant();
        String keyId = lookup.activeKeyId();
        for (ImportLine line : planned) {
            ImportedAccount account = line.account();
            String id = account.account().value();
            account.totp().ifPresent(seed -> {
                factors.add(factor(id, seed, account.lastStep()));
                withTotp.add(id);
            });
            List<String> codeSecrets = account.recoveryCodes();
            List<String> hashes = hashAll(concat(
                    codeSecrets,
                    line.newPasscodes().stream()
                            .flatMap(passcode -> passcode.plain().stream())
                            .toList()));
            for (int i = 0; i < codeSecrets.size(); i++) {
                codes.add(new ImportedCodeStore.Code(
                        id,
                        lookup.forStorage(LookupHasher.Purpose.RECOVERY_CODE, codeSecrets.get(i)),
                        keyId,
                        hashes.get(i)));
            }
            int hashIndex = account.recoveryCodes().size();
            for (ImportedAccount.Passcode passcode : line.newPasscodes()) {
                Instant createdAt = passcode.createdAt().orElse(now);
                if (passcode.plain().isPresent()) {
                    passcodes.add(new ImportedPasscodeStore.Passcode(
                            id,
                            passcode.name(),
                            Optional.of(lookup.forStorage(
                                    LookupHasher.Purpose.APP_PASSCODE,
                                    passcode.plain().get())),
                            keyId,
                            hashes.get(hashIndex++),
                            Optional.empty(),
                            passcode.scope(),
                            createdAt));
                } else {
                    passcodes.add(new ImportedPasscodeStore.Passcode(
                            id,
                            passcode.name(),
                            Optional.empty(),
                            keyId,
                            passcode.legacy().orElseThrow().hash(),
                            Optional.of(passcode.legacy().get().scheme().dovecotName()),
                            passcode.scope(),
                            createdAt));
                }
            }
        }
        return new ImportStore.Batch(factors, codes, passcodes, withTotp, admin, origin);
    }

    private ImportedFactorStore.Factor factor(String account, ImportedAccount.Seed seed, long lastStep) {
        byte[] secret = seed.secret();
        try {
            SealedSecret sealed = sealer.seal(secret, account);
            return new ImportedFactorStore.Factor(
                    account, sealed, seed.algorithm(), seed.digits(), seed.periodSeconds(), lastStep);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    private List<String> hashAll(List<String> secrets) {
        List<String> hashes = new ArrayList<>(secrets.size());
        for (int from = 0; from < secrets.size(); from += HASHES_PER_TASK) {
            hashes.addAll(hashWaiting(secrets.subList(from, Math.min(secrets.size(), from + HASHES_PER_TASK))));
        }
        return hashes;
    }

    private List<String> hashWaiting(List<String> secrets) {
        for (int attempt = 0; ; attempt++) {
            try {
                return argon2.hashAll(secrets).await().indefinitely();
            } catch (ProblemException e) {
                if (e.type() != ProblemType.SERVICE_OVERLOADED || attempt == OVERLOADED_RETRIES) {
                    throw e;
                }
                pause();
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(OVERLOADED_PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProblemException(ProblemType.SERVICE_UNAVAILABLE, "The import was interrupted.");
        }
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
