/**
 * Benchmark floors: the bare endpoints the benchmark in {@code bench/} compares the hot paths with,
 * served only when {@code twofold.bench.floors.enabled=true} (never in production).
 */
package dev.twofold.bench;
