package dev.twofold.jmh;

import dev.twofold.crypto.KeyRing;
import dev.twofold.crypto.LookupHasher;
import dev.twofold.crypto.SealedSecret;
import dev.twofold.crypto.SecretGenerator;
import dev.twofold.crypto.SecretSealer;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Secret generation, the keyed lookup index and AES-256-GCM sealing of a TOTP seed. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SecretsBenchmark {

    private static final String ACCOUNT = "alice@example.test";
    private final SecretGenerator generator = new SecretGenerator();
    private SecretSealer sealer;
    private LookupHasher lookup;
    private byte[] seed;
    private SealedSecret sealed;
    private String passcode;

    @Setup
    public void setUp() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        KeyRing ring = new KeyRing("jmh:" + Base64.getEncoder().encodeToString(key), "jmh");
        sealer = new SecretSealer(ring);
        lookup = new LookupHasher(ring);
        seed = generator.totpSeed();
        sealed = sealer.seal(seed, ACCOUNT);
        passcode = generator.appPasscode();
    }

    @Benchmark
    public String appPasscode() {
        return generator.appPasscode();
    }

    @Benchmark
    public List<String> recoveryCodes() {
        return generator.recoveryCodes(10);
    }

    @Benchmark
    public byte[] totpSeed() {
        return generator.totpSeed();
    }

    @Benchmark
    public byte[] lookupHash() {
        return lookup.forStorage(LookupHasher.Purpose.APP_PASSCODE, passcode);
    }

    @Benchmark
    public SealedSecret sealSeed() {
        return sealer.seal(seed, ACCOUNT);
    }

    @Benchmark
    public byte[] openSeed() {
        return sealer.open(sealed, ACCOUNT);
    }
}
