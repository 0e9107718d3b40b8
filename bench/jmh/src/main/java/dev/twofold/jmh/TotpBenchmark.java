package dev.twofold.jmh;

import dev.twofold.totp.HashAlgorithm;
import dev.twofold.totp.Totp;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** One TOTP code, and one verification across the ±1 window (three HMACs, constant time). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TotpBenchmark {

    private static final Duration PERIOD = Duration.ofSeconds(30);
    private byte[] seed;
    private Instant now;
    private String code;
    private long step;

    @Setup
    public void setUp() {
        seed = new byte[20];
        new SecureRandom().nextBytes(seed);
        now = Instant.parse("2026-01-01T00:00:00Z");
        step = Totp.timeStep(now, PERIOD);
        code = Totp.hotp(seed, step, 6, HashAlgorithm.SHA1);
    }

    @Benchmark
    public String generateCode() {
        return Totp.hotp(seed, Totp.timeStep(now, PERIOD), 6, HashAlgorithm.SHA1);
    }

    @Benchmark
    public OptionalLong verifyWithinWindow() {
        return Totp.matchingStep(seed, code, step, 1, 6, HashAlgorithm.SHA1);
    }
}
