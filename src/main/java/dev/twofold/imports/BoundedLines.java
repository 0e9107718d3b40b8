package dev.twofold.imports;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Reads a stream line by line (LF or CRLF) holding at most one line of {@code maxBytes}: a longer
 * line is skipped to its end and reported as {@link Line#tooLong}, so a file without newlines
 * cannot make the reader buffer it whole.
 */
final class BoundedLines {

    /** One line: its bytes without the line break, or none when it was longer than the bound. */
    record Line(int number, byte[] bytes, boolean tooLong) {

        boolean blank() {
            for (byte b : bytes) {
                if (b != ' ' && b != '\t') {
                    return false;
                }
            }
            return !tooLong;
        }
    }

    private final InputStream in;
    private final int maxBytes;
    private final byte[] buffer = new byte[8192];
    private int position;
    private int limit;
    private int number;

    BoundedLines(InputStream in, int maxBytes) {
        this.in = in;
        this.maxBytes = maxBytes;
    }

    /** The next line, or empty at the end of the stream. */
    Optional<Line> next() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        boolean tooLong = false;
        boolean any = false;
        while (true) {
            if (position == limit) {
                limit = in.read(buffer);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    return any ? Optional.of(finish(line, tooLong)) : Optional.empty();
                }
            }
            any = true;
            int start = position;
            while (position < limit && buffer[position] != '\n') {
                position++;
            }
            int length = position - start;
            if (!tooLong && line.size() + length > maxBytes) {
                tooLong = true;
                line.reset();
            }
            if (!tooLong) {
                line.write(buffer, start, length);
            }
            if (position < limit) {
                position++;
                return Optional.of(finish(line, tooLong));
            }
        }
    }

    private Line finish(ByteArrayOutputStream line, boolean tooLong) {
        byte[] bytes = line.toByteArray();
        int end = bytes.length;
        if (end > 0 && bytes[end - 1] == '\r') {
            end--;
        }
        byte[] content = end == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, end);
        return new Line(++number, content, tooLong);
    }
}
