package dev.twofold.jmh;

import de.mkammerer.argon2.Argon2;
import de.mkammerer.argon2.Argon2Factory;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Argon2id at the service's configured cost ({@code twofold.argon2.*}; defaults m=19 MiB, t=2, p=1),
 * through the same binding. Run with {@code -t 2} for the two-worker rate the service's pool gets.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class Argon2Benchmark {

    @Param("19456")
    public int memoryKib;

    @Param("2")
    public int iterations;

    @Param("1")
    public int parallelism;

    private final Argon2 argon2 = Argon2Factory.create(Argon2Factory.Argon2Types.ARGON2id);
    private final char[] secret = "abcdefghijklmnop".toCharArray();
    private String phc;

    @Setup
    public void setUp() {
        phc = argon2.hash(iterations, memoryKib, parallelism, secret.clone());
    }

    @Benchmark
    public boolean verify() {
        return argon2.verify(phc, secret.clone());
    }

    @Benchmark
    public String hash() {
        return argon2.hash(iterations, memoryKib, parallelism, secret.clone());
    }
}
