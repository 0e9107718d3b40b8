package dev.twofold.benchtool;

import java.util.Arrays;
import java.util.Locale;

/** Recorded latencies (nanoseconds) and their percentiles, as wrk reports them. */
final class Latencies {

    private long[] values = new long[1024];
    private int size;

    synchronized void add(long nanos) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = nanos;
    }

    synchronized int size() {
        return size;
    }

    synchronized String json() {
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        double mean = size == 0 ? 0 : Arrays.stream(sorted).average().orElse(0);
        return String.format(Locale.ROOT, "{\"p50\":%.3f,\"p90\":%.3f,\"p99\":%.3f,\"max\":%.3f,\"mean\":%.3f}",
                ms(percentile(sorted, 50)), ms(percentile(sorted, 90)), ms(percentile(sorted, 99)),
                ms(size == 0 ? 0 : sorted[size - 1]), mean / 1e6);
    }

    private static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
