package dev.twofold.ctl;

import java.io.PrintWriter;
import java.util.Locale;

/** A one-line progress bar on stderr: lines answered of the file's total, percentage and rate. */
final class ImportProgress {

    private static final int WIDTH = 30;
    /** Redrawing on every line would cost more than the import at thousands of lines per second. */
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintWriter err;
    private final long total;
    private final long started = System.nanoTime();
    private long done;
    private long drawnAt;

    ImportProgress(PrintWriter err, long total) {
        this.err = err;
        this.total = total;
    }

    void advance() {
        done++;
        long now = System.nanoTime();
        if (now - drawnAt >= REDRAW_NANOS) {
            draw(now);
        }
    }

    void finish() {
        draw(System.nanoTime());
        err.println();
        err.flush();
    }

    private void draw(long now) {
        drawnAt = now;
        double fraction = total == 0 ? 1 : Math.min(1, (double) done / total);
        int filled = (int) Math.round(fraction * WIDTH);
        double seconds = Math.max(1e-3, (now - started) / 1e9);
        err.print(String.format(
                Locale.ROOT,
                "\r[%s%s] %d/%d lines %3.0f%% %.0f lines/s",
                "#".repeat(filled),
                ".".repeat(WIDTH - filled),
                done,
                total,
                fraction * 100,
                done / seconds));
        err.flush();
    }
}
